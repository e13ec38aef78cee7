"""The door and ticket QR codes scale with the screen: a viewBox, no fixed size (at 360 px a
330 px code with a fixed size was cut off and did not scan)."""

import re

from lumbung.events.qr import qr_svg


def test_the_qr_code_scales_whole():
    svg = qr_svg("https://inovasi.lampungbaratkab.go.id/kegiatan/presensi/", scale=10, title="Kode QR")
    opening = svg[: svg.index(">")]
    assert re.search(r'viewBox="0 0 \d+ \d+"', opening)
    assert "width=" not in opening and "height=" not in opening
    assert 'role="img"' in opening and "<title>Kode QR</title>" in svg
