from types import SimpleNamespace

from webapp.common.csv_export import csv_response


def test_a_csv_has_a_bom_a_header_and_neutralised_formulas(app):
    rows = [SimpleNamespace(name="=1+1", note="@SUM"), SimpleNamespace(name="王芳", note="-3")]
    with app.test_request_context():
        response = csv_response("x.csv", ["Name", "Note"], ["name", lambda r: r.note], rows)
    assert response.headers["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert response.mimetype == "text/csv"
    lines = response.get_data().decode("utf-8").split("\r\n")
    assert lines[0] == "\ufeffName,Note"
    assert lines[1:3] == ["'=1+1,'@SUM", "王芳,'-3"]
