from articles.cleaning.decode import decode_bytes

SAMPLE = "The minister’s “bold” plan will cost €5m, said the café owner."


def test_undeclared_utf8_is_read_correctly():
    assert decode_bytes(SAMPLE.encode("utf-8")) == SAMPLE


def test_windows_1252_without_charset_keeps_curly_quotes_euro_and_accents():
    assert decode_bytes(SAMPLE.encode("cp1252")) == SAMPLE


def test_utf8_page_whose_meta_claims_latin1_has_no_mojibake():
    page = f'<html><head><meta charset="iso-8859-1"></head><body><p>{SAMPLE}</p></body></html>'
    decoded = decode_bytes(page.encode("utf-8"))
    assert SAMPLE in decoded
    assert "â€" not in decoded


def test_utf8_page_whose_http_header_claims_windows_1252_has_no_mojibake():
    decoded = decode_bytes(SAMPLE.encode("utf-8"), "windows-1252")
    assert decoded == SAMPLE


def test_correctly_declared_latin1_is_read_correctly():
    text = "Le café de la gare a fermé, a déclaré le maire."
    page = f'<meta charset="ISO-8859-1"><p>{text}</p>'
    assert text in decode_bytes(page.encode("latin-1"))


def test_utf16_with_bom_is_read_correctly():
    assert decode_bytes("\ufeff".encode("utf-16-le") + SAMPLE.encode("utf-16-le")) == SAMPLE


def test_utf8_bom_is_removed():
    assert decode_bytes(b"\xef\xbb\xbf" + SAMPLE.encode("utf-8")) == SAMPLE


def test_decoded_text_is_nfc_normalised():
    assert decode_bytes("cafe\u0301".encode("utf-8")) == "café"
