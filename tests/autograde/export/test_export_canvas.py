"""export --format canvas: one column of a Canvas gradebook export filled, everything else as Canvas wrote it."""
import pytest
from class_record import GRADEBOOK_HEADER, GRADEBOOK_ROWS, read_csv, write_class_record, write_gradebook

from autograde.export import ExportError, export_canvas

COLUMN = GRADEBOOK_HEADER.index("Assignment 2 (4321)")


def exported(tmp_path, **options):
    out = write_class_record(tmp_path / "out")
    gradebook = write_gradebook(tmp_path / "gradebook.csv", **options.pop("gradebook", {}))
    output = tmp_path / "import.csv"
    lines = export_canvas(out, output, gradebook=gradebook, **{"column": "Assignment 2 (4321)", **options})
    return output, lines


def test_the_column_gets_the_totals_matched_by_canvas_user_id_and_nothing_else_changes(tmp_path):
    output, lines = exported(tmp_path)
    rows = read_csv(output)
    expected = [GRADEBOOK_HEADER] + [list(row) for row in GRADEBOOK_ROWS]
    expected[3][COLUMN] = "42.5"
    expected[4][COLUMN] = "20"
    assert rows == expected
    assert output.read_bytes().startswith(b"\xef\xbb\xbf")
    assert lines[0] == "filled 2 grades into the column 'Assignment 2 (4321)'"
    assert "left as excused (EX): Lee, Carol" in lines
    assert "no grade here for 2 students of the gradebook (left as they were): Park, Min, Student, Test" in lines
    assert "1 graded student not in the gradebook (no Canvas user id, SIS login or SIS id matches): wuming" in lines
    assert "written answers still to grade by hand for 1 student (4 points not in the totals yet); export again " \
           "after grading them in formgrader" in lines


def test_students_without_a_canvas_id_are_matched_by_sis_login(tmp_path):
    out = write_class_record(tmp_path / "out", roster=[("jsmith", "", "", "")],
                             grades=[("jsmith", "20", "0", "20", "50", "0")])
    output = tmp_path / "import.csv"
    export_canvas(out, output, gradebook=write_gradebook(tmp_path / "gb.csv"), column="Assignment 2 (4321)")
    assert read_csv(output)[4][COLUMN] == "20"


def test_totals_are_scaled_to_the_points_possible_unless_asked_not_to(tmp_path):
    rows = [list(row) for row in GRADEBOOK_ROWS]
    rows[1][COLUMN] = "100.00"
    output, lines = exported(tmp_path, gradebook={"rows": rows})
    assert [row[COLUMN] for row in read_csv(output)[3:5]] == ["85", "40"]
    assert "scaled the totals (out of 50) to the column's 100 points possible; pass --no-scale to keep raw points" \
        in lines
    raw, _ = exported(tmp_path / "raw", gradebook={"rows": rows}, scale=False)
    assert [row[COLUMN] for row in read_csv(raw)[3:5]] == ["42.5", "20"]


def test_a_semicolon_gradebook_keeps_its_delimiter_and_decimal_commas(tmp_path):
    output, _ = exported(tmp_path, gradebook={"delimiter": ";", "bom": False})
    rows = read_csv(output, delimiter=";")
    assert rows[2][COLUMN] == "50,00" and rows[3][COLUMN] == "42,5" and rows[3][5] == "9,00"
    assert not output.read_bytes().startswith(b"\xef\xbb\xbf")


def test_the_column_is_found_from_the_assignment_name_when_exactly_one_matches(tmp_path):
    output, _ = exported(tmp_path, column=None, assignment_name="assignment 2")
    assert read_csv(output)[3][COLUMN] == "42.5"


@pytest.mark.parametrize("options, message", [
    ({"column": "Assignment 3 (4323)"}, r"--column 'Assignment 3 \(4323\)' is not an assignment column of "
                                        r"gradebook.csv \(its assignment columns: 'Assignment 1 \(4320\)'"),
    ({"column": None, "assignment_name": "Assignment"}, r"--assignment-name 'Assignment' matches 'Assignment 1 "
                                                        r"\(4320\)', 'Assignment 2 \(4321\)', 'Assignment 2 bonus"),
    ({"column": None, "assignment_name": "Quiz"}, r"--assignment-name 'Quiz' matches none of the assignment columns"),
])
def test_a_column_that_is_not_there_or_not_one_is_refused(tmp_path, options, message):
    with pytest.raises(ExportError, match=message):
        exported(tmp_path, **options)
    assert not (tmp_path / "import.csv").exists()


def test_a_file_that_is_not_a_canvas_gradebook_is_refused(tmp_path):
    out = write_class_record(tmp_path / "out")
    (tmp_path / "other.csv").write_text("name,score\nx,1\n")
    with pytest.raises(ExportError, match="is not a Canvas gradebook export"):
        export_canvas(out, tmp_path / "import.csv", gradebook=tmp_path / "other.csv", column="A (1)")


def test_the_optional_lms_id_column_of_grades_csv_matches_when_the_roster_lacks_it(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "grades.csv").write_text("student,name,lms_id,FullyConnectedNets,pending,total,max\n"
                                    "jane,Jane Doe,12345,40,0,40,50\n")
    output = tmp_path / "import.csv"
    export_canvas(out, output, gradebook=write_gradebook(tmp_path / "gb.csv"), column="Assignment 2 (4321)")
    assert read_csv(output)[3][COLUMN] == "40"
