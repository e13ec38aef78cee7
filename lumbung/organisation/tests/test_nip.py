import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import assume, given
from hypothesis import strategies as st

from lumbung.organisation.nip import normalise_nip, parse_nip

TODAY = dt.date(2026, 6, 1)


@st.composite
def nip_parts(draw):
    birth = draw(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2005, 12, 31)))
    age = draw(st.integers(min_value=18, max_value=55))
    month = draw(st.integers(min_value=1, max_value=12))
    appointed = dt.date(birth.year + age, month, 1)
    assume(appointed <= TODAY)
    sex = draw(st.sampled_from("12"))
    sequence = draw(st.integers(min_value=1, max_value=999))
    return birth, appointed, sex, sequence


def build(birth, appointed, sex, sequence) -> str:
    return f"{birth:%Y%m%d}{appointed:%Y%m}{sex}{sequence:03d}"


def refusal_code(nip: str) -> str:
    with pytest.raises(ValidationError) as caught:
        parse_nip(nip, today=TODAY)
    return caught.value.code


@given(nip_parts())
def test_a_valid_nip_is_accepted_and_its_parts_recovered(parts):
    birth, appointed, sex, sequence = parts
    info = parse_nip(build(*parts), today=TODAY)
    assert (info.birth_date, info.appointed, info.sequence) == (birth, appointed, sequence)
    assert info.sex == ("L" if sex == "1" else "P")


@given(nip_parts(), st.sampled_from([" ", ".", "-"]))
def test_the_separators_people_type_are_ignored(parts, separator):
    nip = build(*parts)
    typed = separator.join([nip[:8], nip[8:14], nip[14], nip[15:]])
    assert parse_nip(f"'{typed}", today=TODAY).nip == nip


@given(nip_parts(), st.integers(min_value=0, max_value=17))
def test_a_missing_digit_is_refused_with_the_count(parts, position):
    nip = build(*parts)
    assert refusal_code(nip[:position] + nip[position + 1 :]) == "nip_length"


@given(nip_parts(), st.integers(min_value=0, max_value=17), st.sampled_from("OoIlx"))
def test_a_letter_in_place_of_a_digit_is_refused(parts, position, letter):
    nip = build(*parts)
    assert refusal_code(nip[:position] + letter + nip[position + 1 :]) == "nip_digits"


@given(nip_parts(), st.sampled_from("03456789"))
def test_the_sex_digit_must_be_1_or_2(parts, digit):
    nip = build(*parts)
    assert refusal_code(nip[:14] + digit + nip[15:]) == "nip_sex"


@given(nip_parts())
def test_sequence_000_is_refused(parts):
    assert refusal_code(build(*parts)[:15] + "000") == "nip_sequence"


@given(nip_parts(), st.sampled_from(["00", "13", "20", "99"]))
def test_an_impossible_appointment_month_is_refused(parts, month):
    nip = build(*parts)
    assert refusal_code(nip[:12] + month + nip[14:]) == "nip_tmt"


@given(nip_parts(), st.integers(min_value=1, max_value=16))
def test_an_appointment_before_the_age_of_17_is_refused(parts, age):
    birth, _appointed, sex, sequence = parts
    too_young = dt.date(birth.year + age, 12, 1)
    assume(too_young <= TODAY)
    assert refusal_code(build(birth, too_young, sex, sequence)) == "nip_tmt"


@given(st.text(alphabet="0123456789", min_size=18, max_size=18))
def test_any_18_digits_are_either_accepted_consistently_or_refused_with_a_reason(digits):
    try:
        info = parse_nip(digits, today=TODAY)
    except ValidationError as error:
        assert error.code.startswith("nip_")
    else:
        assert build(info.birth_date, info.appointed, "1" if info.sex == "L" else "2", info.sequence) == digits


@pytest.mark.parametrize(
    ("nip", "code", "words"),
    [
        ("19740231 200003 1 002", "nip_birth", "bukan tanggal lahir"),
        ("20300101 205001 1 001", "nip_birth", "tidak masuk akal"),
        ("19740815 203001 1 001", "nip_tmt", "tidak cocok"),
        ("1974081520000310", "nip_length", "16 angka"),
        ("19740815 2000O3 1 002", "nip_digits", "hanya boleh berisi angka"),
    ],
)
def test_messages_say_which_part_is_wrong_in_indonesian(nip, code, words):
    with pytest.raises(ValidationError) as caught:
        parse_nip(nip, today=TODAY)
    assert caught.value.code == code
    assert words in caught.value.messages[0]


def test_normalise_keeps_only_what_matters():
    assert normalise_nip(" '19740815.200003-1 002 ") == "197408152000031002"
