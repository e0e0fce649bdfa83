"""A class record OUT (grades.csv, roster.csv) and a Canvas gradebook export, as the export tests need them."""
import csv
from pathlib import Path

GRADES = [
    # student, FullyConnectedNets, Dropout, total, max, pending
    ("doejane_12345", "30", "12.5", "42.5", "50", "0"),
    ("smithjohn_222", "20", "0", "20", "50", "4"),
    ("leecarol_333", "25", "25", "50", "50", "0"),
    ("wuming", "10", "5", "15", "50", "0"),
]
ROSTER = [
    ("doejane_12345", "Doe, Jane", "jane@uni.edu", "12345"),
    ("smithjohn_222", "", "john@uni.edu", "222"),
    ("leecarol_333", "Lee, Carol", "carol@uni.edu", "333"),
    ("wuming", "Wu Ming", "", ""),
]


def write_csv(path, header, rows, *, delimiter=",", bom=False):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8-sig" if bom else "utf-8") as stream:
        writer = csv.writer(stream, delimiter=delimiter, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_class_record(out, grades=GRADES, roster=ROSTER):
    write_csv(Path(out) / "grades.csv", ["student", "FullyConnectedNets", "Dropout", "total", "max", "pending"],
              grades)
    write_csv(Path(out) / "roster.csv", ["student", "name", "email", "lms_id"], roster)
    return Path(out)


GRADEBOOK_HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Assignment 1 (4320)",
                    "Assignment 2 (4321)", "Assignment 2 bonus (4322)", "Current Score", "Final Score"]
GRADEBOOK_ROWS = [
    ["", "", "", "", "", "", "Manual Posting", "", "", ""],
    ["    Points Possible", "", "", "", "", "10.00", "50.00", "5.00", "(read only)", "(read only)"],
    ["Doe, Jane", "12345", "S100", "jane@uni.edu", "CS231 A", "9.00", "", "", "90.00", "90.00"],
    ["Smith, John", "222", "S101", "jsmith", "CS231 A", "7.00", "10.00", "", "70.00", "70.00"],
    ["Lee, Carol", "333", "S102", "carol@uni.edu", "CS231 B", "8.00", "EX", "", "80.00", "80.00"],
    ["Park, Min", "444", "S103", "mpark", "CS231 B", "6.00", "", "", "60.00", "60.00"],
    ["Student, Test", "999", "", "", "CS231 A", "", "", "", "", ""],
]


def write_gradebook(path, *, delimiter=",", bom=True, header=GRADEBOOK_HEADER, rows=GRADEBOOK_ROWS):
    if delimiter == ";":
        rows = [[cell.replace(".", ",") if cell[:1].isdigit() else cell for cell in row] for row in rows]
    return write_csv(path, header, rows, delimiter=delimiter, bom=bom)


def read_csv(path, delimiter=","):
    with Path(path).open(newline="", encoding="utf-8-sig") as stream:
        return list(csv.reader(stream, delimiter=delimiter))
