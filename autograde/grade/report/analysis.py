"""The numbers of the class report, from the student result dicts: per-student rows, class statistics, item
analysis of every check, manual grading still pending, and who needs a look and why."""
import collections
import dataclasses
import statistics

from autograde.grade.integrity import RESULT, result_signals

# Kelley's groups for the discrimination index: the top and bottom 27% of the class by total score.
GROUP_SHARE = 0.27
MIN_GROUP = 2


@dataclasses.dataclass
class StudentRow:
    """One student: total and max points, {notebook: (points, max)}, answers pending by hand, the number of
    checks per status, the grader's error, and the integrity and similarity findings about them."""

    student: str
    total: float
    max_points: float
    notebooks: dict
    pending: list
    statuses: collections.Counter
    error: str
    signals: list
    similar: list

    @property
    def own_signals(self):
        """Signals from the code and the logs (the result's own signals repeat what the statuses say)."""
        return [signal for signal in self.signals if signal.source != RESULT]


def _number(value):
    return round(float(value), 6)


def student_rows(results, notebooks=(), *, integrity=None, similarity=None):
    """[StudentRow] sorted by student. integrity: {student: [Signal]} (a student it leaves out gets the signals
    of their result, integrity.result_signals); similarity: [SimilarPair]."""
    integrity = integrity or {}
    similar = collections.defaultdict(list)
    for pair in similarity or ():
        similar[pair.a].append((pair.b, pair.score))
        if not pair.b.startswith("known:"):
            similar[pair.b].append((pair.a, pair.score))
    rows = []
    for result in sorted(results, key=lambda result: result["student"]):
        per_notebook = {notebook: [0.0, 0.0] for notebook in notebooks}
        for check in result["checks"]:
            entry = per_notebook.setdefault(check["notebook"], [0.0, 0.0])
            entry[0] += float(check["points"])
            entry[1] += float(check["max_points"])
        rows.append(StudentRow(
            student=result["student"],
            total=_number(sum(float(check["points"]) for check in result["checks"])),
            max_points=_number(sum(float(check["max_points"]) for check in result["checks"])),
            notebooks={notebook: (_number(points), _number(maximum))
                       for notebook, (points, maximum) in per_notebook.items()},
            pending=list(result.get("manual_pending") or []),
            statuses=collections.Counter(check["status"] for check in result["checks"]),
            error=str(result.get("error") or ""),
            signals=list(integrity[result["student"]] if result["student"] in integrity
                         else result_signals(result)),
            similar=sorted(similar.get(result["student"], []), key=lambda item: -item[1])))
    return rows


def notebook_order(rows, notebooks=()):
    """The notebooks of `notebooks` first, then any other notebook the rows name, in order of appearance."""
    order = list(notebooks)
    for row in rows:
        order += [notebook for notebook in row.notebooks if notebook not in order]
    return order


def class_summary(rows, notebooks=()):
    """{"students", "mean", "median", "min", "max", "stdev", "max_points", "notebook_means": {notebook:
    (mean points, max points)}} of the rows (zeros for an empty class)."""
    totals = [row.total for row in rows]
    order = notebook_order(rows, notebooks)
    notebook_means = {
        notebook: (statistics.fmean([row.notebooks.get(notebook, (0.0, 0.0))[0] for row in rows]) if rows else 0.0,
                   max((row.notebooks.get(notebook, (0.0, 0.0))[1] for row in rows), default=0.0))
        for notebook in order}
    if not totals:
        return {"students": 0, "mean": 0.0, "median": 0.0, "min": 0.0, "max": 0.0, "stdev": 0.0,
                "max_points": 0.0, "notebook_means": notebook_means}
    return {"students": len(totals), "mean": statistics.fmean(totals), "median": statistics.median(totals),
            "min": min(totals), "max": max(totals), "stdev": statistics.pstdev(totals),
            "max_points": max(row.max_points for row in rows), "notebook_means": notebook_means}


@dataclasses.dataclass
class CheckStats:
    """Item analysis of one check: how many students it graded and passed, the pass rate, the discrimination
    index (None for a class too small for two groups of MIN_GROUP), the statuses of those who did not pass and
    their most frequent message."""

    id: str
    notebook: str
    hidden: bool
    graded: int
    passed: int
    discrimination: object
    not_passed: collections.Counter
    top_message: str
    top_message_count: int

    @property
    def pass_rate(self):
        return self.passed / self.graded if self.graded else 0.0


def discrimination_groups(totals):
    """(lower, upper): the students of the bottom and top GROUP_SHARE of the class by total, ties broken by
    student id; None when the class is too small for two groups of MIN_GROUP. totals: {student: total}."""
    ranked = sorted(totals, key=lambda student: (totals[student], student))
    size = round(GROUP_SHARE * len(ranked))
    if size < MIN_GROUP:
        return None
    return set(ranked[:size]), set(ranked[-size:])


def item_analysis(results):
    """[CheckStats] of every check with points, lowest pass rate first (then by id).

    Discrimination: the pass rate among the top 27% of students by total score minus the pass rate among the
    bottom 27% (from -1 to 1; near 0: the check does not separate strong from weak submissions; negative: weak
    submissions pass it more often).
    """
    totals = {result["student"]: sum(float(check["points"]) for check in result["checks"]) for result in results}
    groups = discrimination_groups(totals)
    outcomes = collections.defaultdict(dict)
    info = {}
    messages = collections.defaultdict(collections.Counter)
    for result in results:
        for check in result["checks"]:
            if float(check["max_points"]) <= 0:
                continue
            outcomes[check["id"]][result["student"]] = check["status"]
            info.setdefault(check["id"], (check.get("notebook", ""), bool(check.get("hidden"))))
            if check["status"] != "pass" and check.get("message"):
                messages[check["id"]][str(check["message"])] += 1
    stats = []
    for check_id, by_student in outcomes.items():
        passed = sum(status == "pass" for status in by_student.values())
        discrimination = None
        if groups is not None:
            rates = []
            for group in groups:
                members = [student for student in group if student in by_student]
                rates.append(sum(by_student[student] == "pass" for student in members) / max(len(members), 1))
            discrimination = rates[1] - rates[0]
        top = messages[check_id].most_common(1)
        stats.append(CheckStats(
            id=check_id, notebook=info[check_id][0], hidden=info[check_id][1], graded=len(by_student),
            passed=passed, discrimination=discrimination,
            not_passed=collections.Counter(status for status in by_student.values() if status != "pass"),
            top_message=top[0][0] if top else "", top_message_count=top[0][1] if top else 0))
    return sorted(stats, key=lambda item: (item.pass_rate, item.id))


def pending_summary(rows):
    """(students with answers pending, [(answer id, notebook, max points, students)] most students first)."""
    answers = {}
    for row in rows:
        for item in row.pending:
            key = item["id"]
            _, notebook, max_points, count = answers.get(key, (key, item.get("notebook", ""),
                                                                 float(item.get("max_points", 0)), 0))
            answers[key] = (key, notebook, max_points, count + 1)
    students = sum(bool(row.pending) for row in rows)
    return students, sorted(answers.values(), key=lambda answer: (-answer[3], answer[0]))


def _plural(count, word, plural=None):
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def look_reasons(row):
    """[(weight, reason)] of why a student needs the instructor's look, most serious first; empty when nothing
    does. Errors alone are no reason (an unfinished function raises one): they are named beside the others."""
    reasons = []
    if row.statuses.get("tampered"):
        reasons.append((5, _plural(row.statuses["tampered"], "tampered check")))
    own = row.own_signals
    if own:
        kinds = ", ".join(sorted({signal.kind for signal in own}))
        reasons.append((4, f"{_plural(len(own), 'integrity signal')} ({kinds})"))
    reasons += [(4, f"similar to {other} ({score:.2f})") for other, score in row.similar]
    if row.error:
        reasons.append((3, "grading error"))
    ended = sorted({signal.kind for signal in row.signals if signal.kind in ("kernel died", "sandbox")})
    if ended:
        reasons.append((3, " and ".join(ended).replace("sandbox", "crash or limit in the sandbox")))
    if row.statuses.get("timeout"):
        reasons.append((2, _plural(row.statuses["timeout"], "timeout")))
    if row.statuses.get("missing"):
        everything = row.statuses["missing"] == sum(row.statuses.values())
        reasons.append((1, "nothing found to grade" if everything else f"{row.statuses['missing']} missing"))
    if reasons and row.statuses.get("error"):
        reasons.append((0, _plural(row.statuses["error"], "error")))
    return sorted(reasons, key=lambda reason: -reason[0])


def needs_a_look(rows):
    """[(row, reason summary)] of the students with any reason, most serious reason first, then most reasons,
    then by student."""
    looks = []
    for row in rows:
        reasons = look_reasons(row)
        if reasons:
            weights = [weight for weight, _ in reasons]
            looks.append(((-max(weights), -sum(weights), row.student), row,
                          ", ".join(reason for _, reason in reasons)))
    return [(row, summary) for _, row, summary in sorted(looks, key=lambda look: look[0])]
