"""A check counter for the e2e suites that go on after a failed check (to
report every difference from their oracle in one run) and end with
"N passed, M failed" and exit status 1 if anything failed.

    check = Checks()
    check(got == want, f"thing: {got} vs {want}")   # returns the condition
    return check.report()
"""


class Checks:
    def __init__(self, echo=False):
        """echo: also print each failure when it happens (useful when a
        later step may hang and the summary would never be printed)."""
        self.failures = []
        self.count = 0
        self.echo = echo

    def __call__(self, ok, what):
        self.count += 1
        if not ok:
            self.failures.append(what)
            if self.echo:
                print("FAIL", what, flush=True)
        return ok

    def report(self):
        """Prints the failures and the totals; the exit status for main()."""
        for what in self.failures:
            print("FAIL", what)
        print(f"{self.count - len(self.failures)} passed, {len(self.failures)} failed")
        return 1 if self.failures else 0
