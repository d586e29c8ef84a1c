"""A tmux server of a test's own: its socket in a private directory
(TMUX_TMPDIR), so no other test's or user's server is ever met; a session
start that is retried when tmux itself fails to bring its server up (it
sometimes reports "server exited unexpectedly" right after an earlier
server on the machine went away); and a failure that names the step."""
import os
import shutil
import subprocess
import tempfile
import time

START_ATTEMPTS = 3


class TmuxError(RuntimeError):
    pass


class TmuxServer:
    def __init__(self, name):
        self.name = name
        self.dir = tempfile.mkdtemp(prefix="sockeye-tmux-")
        os.chmod(self.dir, 0o700)
        self.env = dict(os.environ, TMUX_TMPDIR=self.dir)
        self.env.pop("TMUX", None)

    def run(self, *args, check=True):
        """tmux ARGS on this server; raises TmuxError naming the command when
        `check` and tmux fails."""
        r = subprocess.run(["tmux", "-L", self.name, *args], env=self.env,
                           capture_output=True, text=True, check=False)
        if check and r.returncode != 0:
            raise TmuxError(f"tmux {args[0]} failed (exit {r.returncode}): {r.stderr.strip()}")
        return r

    def new_session(self, session, width, height, *command):
        """A detached session running `command`, the server started with it."""
        error = ""
        for attempt in range(START_ATTEMPTS):
            r = self.run("new-session", "-d", "-s", session, "-x", str(width), "-y", str(height),
                         *command, check=False)
            if r.returncode == 0:
                return
            error = r.stderr.strip()
            self.run("kill-server", check=False)
            time.sleep(0.2 * (attempt + 1))
        raise TmuxError(f"tmux could not start session {session!r} after {START_ATTEMPTS} "
                        f"attempts: {error}")

    def capture(self, session):
        return self.run("capture-pane", "-p", "-t", session, check=False).stdout

    def kill(self):
        self.run("kill-server", check=False)

    def close(self):
        self.kill()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
