"""Framework specs written out by hand from the methodology (sections 3.1, 3.2, 4.1), so the
engine is tested against the published numbers and not against our own data files."""

from decimal import Decimal

from lumbung.frameworks.engine import FrameworkSpec, RowSpec

D = Decimal
BASIC_SERVICES = frozenset({"pendidikan", "kesehatan", "pupr", "perumahan", "trantibum", "sosial"})

# (code, weight, mandatory)
SPD_2026 = [
    ("1", "1", True), ("2a", "1", False), ("2b", "1", False), ("3", "1", True), ("4", "1", True),
    ("5a", "0.75", True), ("5b", "0.75", True), ("6", "1.5", True), ("7", "1.5", True), ("8", "1.5", True),
    ("9", "1", True), ("10a", "0.75", True), ("10b", "0.75", True), ("11a", "0.75", True), ("11b", "0.75", True),
    ("12", "2", False), ("13a", "1", False), ("13b", "1", False), ("14", "1", False), ("15", "1", False),
]  # fmt: skip
# Region statistics and grades no evidence raises (methodology §3.1: BPS, BPK, SAKIP, LAN, the APBD).
OUTCOME_2026 = frozenset({"2a", "2b", "3", "4", "5a", "5b", "6", "7", "8", "9", "10a", "10b", "11a", "11b", "13b"})
SID_2026 = [
    ("16", "3", True), ("17", "2", True), ("18", "2", False), ("19", "2", False), ("20", "1", False),
    ("21", "2", False), ("22", "1", False), ("23", "1", False), ("24", "1", False), ("25", "1", False),
    ("26", "1", False), ("27", "1", False), ("28", "2", False), ("29", "1", False), ("30", "2", False),
    ("31", "3", False), ("32", "2", True), ("33", "3", True), ("34", "2", False), ("35", "4", True),
]  # fmt: skip


def spec_2026(**changes) -> FrameworkSpec:
    rows = tuple(
        RowSpec(code, D(weight), "region", mandatory, code in OUTCOME_2026) for code, weight, mandatory in SPD_2026
    ) + tuple(RowSpec(code, D(weight), "innovation", mandatory) for code, weight, mandatory in SID_2026)
    values = {
        "year": 2026,
        "rows": rows,
        "min_divisor": 12,
        "count_factor": D("0.38"),
        "count_cap": 200,
        "basic_services_required": 5,
        "basic_service_codes": BASIC_SERVICES,
        "max_total": D("250"),
        "bands": (("Sangat Inovatif", D("65.01")), ("Inovatif", D("40.01")), ("Kurang Inovatif", D("0.01"))),
    }
    values.update(changes)
    return FrameworkSpec(**values)


SPD_CODES = [code for code, _weight, _mandatory in SPD_2026]
SID_CODES = [code for code, _weight, _mandatory in SID_2026]
