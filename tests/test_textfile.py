import pytest

from corpus.errors import ModeltermsError
from corpus.textfile import read_text_file

from .pdfmaker import make_pdf

LIMIT = 5_000_000


def test_reads_plain_text_and_normalises_line_ends(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(b"LICENSE\r\n1. Use. You may use it.\r\n")
    assert read_text_file(p, LIMIT) == "LICENSE\n1. Use. You may use it.\n"


def test_html_becomes_text_with_one_block_per_line(tmp_path):
    p = tmp_path / "a.html"
    p.write_text("<html><head><title>x</title><style>p{}</style></head><body><h1>Model License</h1>"
                 "<p>1. Use. You may use it.</p><ul><li>(a) no spam;</li><li>(b) no malware.</li></ul>"
                 "<script>alert(1)</script></body></html>")
    text = read_text_file(p, LIMIT)
    assert "Model License" in text and "alert" not in text and "p{}" not in text
    lines = [ln for ln in text.splitlines() if ln]
    assert "(a) no spam;" in lines and "(b) no malware." in lines


def test_pdf_text_is_extracted(tmp_path):
    p = tmp_path / "a.pdf"
    p.write_bytes(make_pdf(["TEST MODEL LICENSE", "1. You may not use the model for spam."]))
    text = read_text_file(p, LIMIT)
    assert "TEST MODEL LICENSE" in text and "for spam" in text


@pytest.mark.parametrize("name,content,message", [
    ("empty.txt", b"", "file is empty"),
    ("bin.txt", b"\x00\x01\x02binary\x00" * 100, "binary"),
    ("latin1.txt", "Licence : caf\xe9 autoris\xe9".encode("latin-1"), "not UTF-8"),
    ("x.docx", b"PK\x03\x04 zipped", "unsupported file type"),
    ("broken.pdf", b"%PDF-1.4\nnot really a pdf", "PDF"),
    ("blank.txt", b"   \n\n 12 34 \n", "no readable text"),
])
def test_bad_files_give_one_line_errors(tmp_path, name, content, message):
    p = tmp_path / name
    p.write_bytes(content)
    with pytest.raises(ModeltermsError) as e:
        read_text_file(p, LIMIT)
    assert message in str(e.value) and "\n" not in str(e.value)


def test_missing_directory_and_oversized(tmp_path):
    with pytest.raises(ModeltermsError, match="no such file"):
        read_text_file(tmp_path / "nope.txt", LIMIT)
    with pytest.raises(ModeltermsError, match="is a directory"):
        read_text_file(tmp_path, LIMIT)
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:
        f.truncate(20 * 1024 * 1024)  # sparse: 20 MB without writing 20 MB
    with pytest.raises(ModeltermsError, match="too large"):
        read_text_file(big, LIMIT)
