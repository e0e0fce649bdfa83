"""The verdict on one check for one student: the one result type of the student's checks and of the grader."""
import dataclasses

STATUSES = ("pass", "fail", "error", "timeout", "missing", "tampered", "inherited", "pending")
# Statuses that earn the check's points: `inherited` is a check that fails only because a function it calls (another
# task, graded on its own) is wrong, and passes with the reference version of that function. `pending` is a written
# answer not graded by hand yet: it counts towards the maximum and earns nothing until it is graded.
EARNING_STATUSES = ("pass", "inherited")


@dataclasses.dataclass
class CheckResult:
    """The verdict on one check.

    id: the check id (`layers.max_pool_backward_naive.overlapping_windows`); task: the task it belongs to;
    notebook: the notebook whose column in grades.csv it counts towards; points earned out of max_points;
    status: one of STATUSES; message: what happened (safe to show the instructor; feedback redacts hidden
    checks' details); hidden: whether the check is a hidden one; duration: seconds the student's code took;
    label: what the student knows the item by where its id says little (a written answer: "Inline question 2").
    """

    id: str
    task: str
    notebook: str
    max_points: float
    status: str
    message: str = ""
    points: float = 0.0
    hidden: bool = False
    duration: float = 0.0
    label: str = ""

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"CheckResult.status: {self.status!r} is not one of {', '.join(STATUSES)}")

    @property
    def passed(self):
        return self.status == "pass"

    def to_dict(self):
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data):
        fields = {field.name for field in dataclasses.fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in fields})
