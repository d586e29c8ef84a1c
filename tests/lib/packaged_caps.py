"""Running sockeye as the Debian package would: uid 65534 holding exactly the
capabilities packaging/capabilities grants, as ambient capabilities through
setpriv. Root hides a missing capability; this does not.

    from packaged_caps import packaged_command  # noqa: E402
    cmd = packaged_command(sockeye, workdir) + ["-i", ...]"""
import os
import shutil

CAPABILITIES_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                 "packaging", "capabilities")


def packaged_capabilities():
    """The setcap names the package grants on this kernel, as setpriv wants
    them (+net_raw,...)."""
    values = {}
    with open(CAPABILITIES_FILE) as f:
        for line in f:
            if "=" in line and not line.lstrip().startswith("#"):
                key, value = line.strip().split("=", 1)
                values[key] = value.strip('"')
    names = values["caps_always"].split(",")
    with open("/proc/sys/kernel/cap_last_cap") as f:
        if int(f.read()) >= 39:
            names += values["caps_if_known"].split(",")
    return ",".join("+" + n.removeprefix("cap_") for n in names)


def packaged_command(sockeye, workdir):
    """The command line that starts a copy of `sockeye` (in `workdir`, which
    uid 65534 can reach: the build tree may sit under a private home) as the
    package would run it."""
    binary = os.path.join(workdir, "sockeye")
    shutil.copy(sockeye, binary)
    os.chmod(workdir, 0o755)
    os.chmod(binary, 0o755)
    caps = packaged_capabilities()
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
            f"--inh-caps={caps}", f"--ambient-caps={caps}", binary]
