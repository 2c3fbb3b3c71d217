"""The hall and a phone in network namespaces: the hotspot as NetworkManager runs it.

The hall runs dnsmasq with NetworkManager 1.42's shared-mode arguments plus the
project's drop-in, NetworkManager's own nft table, the project's guard (rendered by
``install.sh --root … --wifi-iface wlan1``, loaded where /etc/protocols is missing) and
``kiosk serve`` on 10.42.0.1:80. The uplink's resolver is a black hole. The phone gets
its address by DHCP and uses plain curl and dig, as a phone would. A control hall
without the guard proves that the guard is what blocks. No systemd; seconds.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import REPO, require_tool
from .netns import Namespace, require_root, veth, wait_for

pytestmark = pytest.mark.slow

INSTALL = REPO / "deploy" / "install.sh"
HOTSPOT = "wlan1"  # not the default wlan0, so --wifi-iface is exercised
PORTAL = "10.42.0.1"
UPLINK_HOST = "203.0.113.80"  # a web server "on the internet", inside the uplink namespace
UPLINK_DNS = "203.0.113.53"  # the uplink's resolver: every packet to port 53 is dropped
KIOSK = Path(sys.executable).with_name("kiosk")

# NetworkManager 1.42 (Bookworm) for a shared connection (nm-dnsmasq-manager.c).
NM_DNSMASQ_ARGS = [
    "--conf-file=/dev/null", "--no-hosts", "--keep-in-foreground", "--bind-interfaces",
    "--except-interface=lo", "--clear-on-reload", "--strict-order",
    f"--listen-address={PORTAL}", "--dhcp-range=10.42.0.10,10.42.0.254,60m",
]  # fmt: skip

# The table NetworkManager loads for shared mode (nm-firewall-utils.c), interface renamed.
NM_SHARED_TABLE = f"""
table ip nm-shared-{HOTSPOT} {{
    chain nat_postrouting {{
        type nat hook postrouting priority srcnat; policy accept;
        ip saddr 10.42.0.0/24 ip daddr != 10.42.0.0/24 masquerade
    }}
    chain filter_forward {{
        type filter hook forward priority filter; policy accept;
        ip daddr 10.42.0.0/24 oifname "{HOTSPOT}" ct state {{ established, related }} accept
        ip saddr 10.42.0.0/24 iifname "{HOTSPOT}" accept
        iifname "{HOTSPOT}" oifname "{HOTSPOT}" accept
        iifname "{HOTSPOT}" reject
        oifname "{HOTSPOT}" reject
    }}
}}
"""

BLACK_HOLE = """
table inet blackhole {
    chain input {
        type filter hook input priority filter; policy accept;
        meta l4proto { tcp, udp } th dport 53 drop
    }
}
"""

# busybox udhcpc calls this with the lease in its environment.
DHCP_SCRIPT = """#!/bin/sh
case "$1" in
bound|renew)
    ip addr flush dev "$interface"
    ip addr add "$ip/$mask" dev "$interface"
    [ -n "$router" ] && ip route replace default via "${router%% *}" dev "$interface"
    : > "$RESOLV"
    for d in $dns; do echo "nameserver $d" >> "$RESOLV"; done
    echo "ip=$ip router=$router dns=$dns lease=$lease" > "$LEASE_FILE"
    ;;
esac
exit 0
"""

PROBES = {
    "android": "http://connectivitycheck.gstatic.com/generate_204",
    "android-google": "http://www.google.com/gen_204",
    "ios": "http://captive.apple.com/hotspot-detect.html",
    "windows": "http://www.msftconnecttest.com/connecttest.txt",
    "firefox": "http://detectportal.firefox.com/canonical.html",
    "linux-nm": "http://nmcheck.gnome.org/check_network_status.txt",
    "any-page": "http://example.org/berita/hari-ini",
}


class Hall:
    """The three namespaces and the processes in them."""

    def __init__(self, tmp: Path, *, guard: bool):
        self.tmp = tmp
        tag = f"{os.getpid() % 100000}{'g' if guard else 'c'}"
        self.namespaces: list[Namespace] = []
        self.hall = self._ns(f"pk-hall-{tag}")
        self.phone = self._ns(f"pk-phone-{tag}")
        self.uplink = self._ns(f"pk-uplink-{tag}")
        self.root = tmp / "root"
        self.lease: dict[str, str] = {}

    def _ns(self, name: str) -> Namespace:
        ns = Namespace(name)
        self.namespaces.append(ns)
        return ns

    def close(self) -> None:
        for ns in self.namespaces:
            ns.close()

    # ----------------------------------------------------------------- set-up

    def wire(self) -> None:
        veth(self.hall, HOTSPOT, self.phone, "phone0")
        veth(self.hall, "uplink0", self.uplink, "wan0")
        self.hall.run("ip", "addr", "add", f"{PORTAL}/24", "dev", HOTSPOT)
        # NetworkManager turns IPv6 off on the shared interface (ipv6.method disabled).
        self.hall.run("sysctl", "-qw", f"net.ipv6.conf.{HOTSPOT}.disable_ipv6=1")
        self.hall.run("ip", "addr", "add", "203.0.113.1/24", "dev", "uplink0")
        self.hall.run("ip", "route", "add", "default", "via", "203.0.113.2")
        self.hall.run("sysctl", "-qw", "net.ipv4.ip_forward=1")
        for address in ["203.0.113.2", UPLINK_HOST, UPLINK_DNS]:
            self.uplink.run("ip", "addr", "add", f"{address}/24", "dev", "wan0")
        self.uplink.run("nft", "-f", "-", input=BLACK_HOLE)
        self.hall.set_resolver(UPLINK_DNS)

    def render_install(self) -> None:
        """The guard and DNS drop-in exactly as install.sh lays them for this hall."""
        result = subprocess.run(
            ["bash", str(INSTALL), "--root", str(self.root), "--village", "kemlagi",
             "--wifi-iface", HOTSPOT, "--yes"],
            capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr

    def load_firewall(self, *, guard: bool) -> subprocess.CompletedProcess:
        self.hall.run("nft", "-f", "-", input=NM_SHARED_TABLE)
        if not guard:
            return subprocess.CompletedProcess([], 0, "", "")
        # Load it where netbase's /etc/protocols is missing (a mount namespace of our own).
        empty = self.tmp / "empty"
        empty.write_text("")
        rules = self.root / "etc/kiosk/kiosk-guard.nft"
        script = f"mount --bind {empty} /etc/protocols && exec nft -f {rules}"
        return self.hall.run("unshare", "-m", "sh", "-c", script, check=False)

    def start_services(self) -> None:
        dnsmasq = require_tool("dnsmasq")
        self.dns_log = self.tmp / "dnsmasq.log"
        self.hall.start(
            dnsmasq, *NM_DNSMASQ_ARGS,
            f"--dhcp-leasefile={self.tmp}/dnsmasq.leases", f"--pid-file={self.tmp}/dnsmasq.pid",
            f"--conf-dir={self.root}/etc/NetworkManager/dnsmasq-shared.d",
            "--log-queries", f"--log-facility={self.dns_log}",
            log=self.tmp / "dnsmasq.out",
        )  # fmt: skip
        env = {**os.environ, "KIOSK_STATE_DIR": str(self.tmp / "state")}
        self.hall.start(
            str(KIOSK), "serve", "--config", str(self.root / "etc/kiosk/kiosk.toml"),
            "--host", PORTAL, "--port", "80", log=self.tmp / "kiosk.log", env=env,
        )  # fmt: skip
        # Something listening on ports the hotspot must not offer (as sshd would).
        listener = (
            "import socket, time\n"
            "socks = [socket.create_server(('0.0.0.0', p)) for p in (22, 443, 8080)]\n"
            "time.sleep(600)\n"
        )
        self.hall.start(sys.executable, "-c", listener, log=self.tmp / "listener.log")
        self.uplink.start(
            sys.executable, "-m", "http.server", "--bind", UPLINK_HOST, "80",
            log=self.tmp / "uplink-http.log",
        )  # fmt: skip
        wait_for(lambda: self.http_ok(self.hall, PORTAL), "kiosk serve on 10.42.0.1:80")
        wait_for(lambda: self.http_ok(self.uplink, UPLINK_HOST), "the uplink web server")

    @staticmethod
    def http_ok(ns: Namespace, address: str) -> bool:
        result = ns.run("curl", "-s", "-o", "/dev/null", "-m", "1", f"http://{address}/",
                        check=False)  # fmt: skip
        return result.returncode == 0

    def dhcp(self) -> None:
        script = self.tmp / "udhcpc.sh"
        script.write_text(DHCP_SCRIPT)
        script.chmod(0o755)
        lease_file = self.tmp / "lease"
        env = {"RESOLV": str(self.phone.etc / "resolv.conf"), "LEASE_FILE": str(lease_file)}
        self.phone.run(
            require_tool("busybox"), "udhcpc", "-i", "phone0", "-n", "-q", "-t", "5", "-T", "1",
            "-s", str(script), env={**os.environ, **env}, timeout=30,
        )  # fmt: skip
        self.lease = dict(item.split("=", 1) for item in lease_file.read_text().split())

    # ------------------------------------------------------------------ phone

    def dig(self, name: str, rtype: str) -> subprocess.CompletedProcess:
        """One query, one try, one second: a stalled answer is a failure."""
        return self.phone.run(
            "dig", f"@{PORTAL}", name, rtype, "+time=1", "+tries=1", "+noall", "+answer",
            "+comments", check=False,
        )  # fmt: skip

    def curl(self, url: str, *extra: str) -> subprocess.CompletedProcess:
        return self.phone.run(
            "curl", "-sS", "-L", "-m", "1", "-o", "/dev/null",
            "-w", "%{http_code} %{url_effective}", *extra, url, check=False,
        )  # fmt: skip


def _hall(tmp_path_factory, *, guard: bool):
    require_root("the hall-and-phone network test")
    for tool in ["dnsmasq", "nft", "busybox", "dig", "curl", "unshare"]:
        require_tool(tool)
    hall = Hall(tmp_path_factory.mktemp("hall-guard" if guard else "hall-control"), guard=guard)
    try:
        hall.wire()
        hall.render_install()
        hall.guard_result = hall.load_firewall(guard=guard)
        hall.start_services()
        hall.dhcp()
        yield hall
    finally:
        hall.close()


@pytest.fixture(scope="module")
def hall(tmp_path_factory):
    yield from _hall(tmp_path_factory, guard=True)


@pytest.fixture(scope="module")
def open_hall(tmp_path_factory):
    """The control: the same hall without the project's guard."""
    yield from _hall(tmp_path_factory, guard=False)


def test_guard_loads_without_etc_protocols(hall):
    assert hall.guard_result.returncode == 0, hall.guard_result.stderr
    tables = hall.hall.run("nft", "list", "tables").stdout
    assert "table inet kiosk_guard" in tables


def test_phone_gets_a_lease_from_the_hall(hall):
    assert hall.lease["ip"].startswith("10.42.0.")
    assert hall.lease["router"].split()[0] == PORTAL
    assert hall.lease["dns"].split() == [PORTAL]


@pytest.mark.parametrize(
    "name", ["example.org", "connectivitycheck.gstatic.com", "captive.apple.com", "kios.desa"]
)
def test_every_name_resolves_to_the_kiosk(hall, name):
    result = hall.dig(name, "A")
    assert "status: NOERROR" in result.stdout, result.stdout
    answers = [line.split()[-1] for line in result.stdout.splitlines() if "\tA\t" in line]
    assert answers == [PORTAL]


def test_windows_gets_its_real_ncsi_address(hall):
    result = hall.dig("dns.msftncsi.com", "A")
    assert [line.split()[-1] for line in result.stdout.splitlines() if "\tA\t" in line] == [
        "131.107.255.255"
    ]


@pytest.mark.parametrize("rtype", ["AAAA", "TYPE65", "MX", "TXT"])
def test_other_record_types_are_answered_at_once_and_never_forwarded(hall, rtype):
    result = hall.dig("connectivitycheck.gstatic.com", rtype)
    # dig's own 1 s limit: "connection timed out" means the answer stalled.
    assert result.returncode == 0, result.stdout + result.stderr
    # An empty answer (NODATA): no IPv6 address to route around the portal, and no
    # REFUSED that would send a phone's resolver looking elsewhere.
    assert "status: NOERROR" in result.stdout, result.stdout
    assert "ANSWER: 0" in result.stdout, result.stdout
    log = hall.dns_log.read_text()
    assert "forwarded" not in log, [line for line in log.splitlines() if "forwarded" in line]


@pytest.mark.parametrize("probe", sorted(PROBES))
def test_each_probe_ends_on_the_portal_within_a_second(hall, probe):
    # Plain curl (not -4): it asks for A and AAAA, as a phone's resolver does.
    result = hall.curl(PROBES[probe])
    assert result.returncode == 0, f"curl exit {result.returncode}: {result.stderr}"
    assert result.stdout == f"200 http://{PORTAL}/"


@pytest.mark.parametrize("port", [22, 443, 8080])
def test_other_ports_are_refused(hall, open_hall, port):
    # curl exit 7: connection refused (reset at once), not dropped (28) nor open (0, 52, 56).
    assert hall.curl(f"http://{PORTAL}:{port}/").returncode == 7
    assert open_hall.curl(f"http://{PORTAL}:{port}/").returncode != 7  # control: open there


def test_nothing_beyond_the_hall_is_reachable(hall, open_hall):
    url = f"http://{UPLINK_HOST}/"
    control = open_hall.curl(url)
    assert control.stdout.startswith("200 "), "control: without the guard the uplink answers"
    assert hall.curl(url).returncode != 0
