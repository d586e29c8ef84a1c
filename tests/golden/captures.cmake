# The captures the golden and oracle tests run over. Included by
# tests/trafficgen (which generates the synthetic ones as ctest fixtures),
# tests/golden and tests/oracle.

# Generated: NAME|SCENARIO|FILE-EXTENSION|EXTRA-ARGS (extra args ;-free, space-separated)
set(SOCKEYE_GENERATED_CAPTURES
  "gen-tcp-mix|tcp-mix|pcap|"
  "gen-udp-icmp-arp|udp-icmp-arp|pcap|"
  "gen-udp-icmp-arp-ng|udp-icmp-arp|pcapng|"
  "gen-vlan|vlan|pcap|"
  "gen-fragments|fragments|pcap|"
  "gen-linktypes-sll|linktypes-sll|pcap|"
  "gen-linktypes-sll2|linktypes-sll2|pcap|"
  "gen-linktypes-raw|linktypes-raw|pcap|"
  "gen-linktypes-null|linktypes-null|pcap|"
  "gen-linktypes-loop|linktypes-loop|pcap|"
  "gen-pcapng|pcapng|pcapng|"
  "gen-malformed|malformed|pcap|"
  "gen-bench-mix-2k|bench-mix|pcap|--packets 2000"
)
set(SOCKEYE_GENERATED_CAPTURE_DIR "${PROJECT_BINARY_DIR}/tests/trafficgen/captures")

# Fetched by scripts/fetch-test-captures: PACKAGE/FILE. The test name is
# <short package name>-<file without extension>.
set(SOCKEYE_FETCHED_CAPTURE_DIR "${PROJECT_SOURCE_DIR}/build/test-captures")
set(SOCKEYE_FETCHED_CAPTURES)
foreach(f
    basic_ipv4_non_udp_tcp basic_ipv4_tcp basic_ipv4_udp basic_ipv6_tcp basic_ipv6_udp
    dns_no_response dns_valid_response dns_valid_response_tcp dscp_ipv6_tcp_fwd3
    dscp_tcp_allzero dscp_tcp_fwd3 dscp_udp_allzero dscp_udp_fwd3 ecn_fake_fwd_ce
    ecn_fake_fwd_ect1 ecn_ipv4_nice_ect0 ecn_ipv6_nice_ect0 ecn_ipv6_unreachable_ce_on_syn
    evilbit_tcp_fwd evilbit_tcp_none evilbit_tcp_rev evilbit_udp_fwd evilbit_udp_none
    evilbit_udp_rev icmp_ipv6_unreachable icmp_single_unreachable
    icmp_single_unreachable_nopayload icmp_synack_unreachable icmp_ttl icmp_ttl_exceeded
    mss_3bytes mss_ipv4 mss_ipv6 mss_none random real tcp_ecn tcp_http tcp_ipv4_ecn
    tcp_ipv4_only_rst tcp_ipv4_rst tcp_ipv4_simple tcp_ipv6_ecn tcp_ipv6_simple
    tfo_cookie_request tfo_data_on_syn udp_nonzerochecksum udp_zerochecksum)
  list(APPEND SOCKEYE_FETCHED_CAPTURES "pathspider-${f}|pathspider/${f}.pcap")
endforeach()
foreach(f dns_icmp http nb6-http truncated_dns truncated_dns_2)
  list(APPEND SOCKEYE_FETCHED_CAPTURES "dpkt-${f}|python3-dpkt/${f}.pcap")
endforeach()
foreach(f test_dns test_ethernet test_loopback)
  list(APPEND SOCKEYE_FETCHED_CAPTURES "gopacket-${f}|golang-github-google-gopacket-dev/${f}.pcap")
endforeach()
foreach(order be le)
  foreach(n 001 002 003 004 005 006 007 008 009 010 011 012 013 014 015 016 017 018
            100 101 102 200 201 202 901 902)
    list(APPEND SOCKEYE_FETCHED_CAPTURES
         "gopacket-${order}_test${n}|golang-github-google-gopacket-dev/${order}_test${n}.pcapng")
  endforeach()
endforeach()
foreach(f test test_2018 test_damaged test_without_pcap_header)
  list(APPEND SOCKEYE_FETCHED_CAPTURES "pcapfix-${f}|pcapfix/${f}.pcap")
endforeach()

# Damaged files: sockeye must print one error line and exit non-zero.
set(SOCKEYE_DAMAGED_CAPTURES
  pcapfix-test_damaged pcapfix-test_without_pcap_header dpkt-truncated_dns_2
  gopacket-be_test901 gopacket-le_test901)

# sockeye_for_each_capture(FN): calls FN(NAME CAPTURE_PATH [test properties...])
# for every capture; generated ones carry the fixture that writes them.
function(sockeye_for_each_capture fn)
  foreach(entry ${SOCKEYE_GENERATED_CAPTURES})
    string(REPLACE "|" ";" fields "${entry}")
    list(GET fields 0 name)
    list(GET fields 2 ext)
    cmake_language(CALL ${fn} ${name} "${SOCKEYE_GENERATED_CAPTURE_DIR}/${name}.${ext}"
                   FIXTURES_REQUIRED capture.${name})
  endforeach()
  foreach(entry ${SOCKEYE_FETCHED_CAPTURES})
    string(REPLACE "|" ";" fields "${entry}")
    list(GET fields 0 name)
    list(GET fields 1 file)
    cmake_language(CALL ${fn} ${name} "${SOCKEYE_FETCHED_CAPTURE_DIR}/${file}")
  endforeach()
endfunction()
