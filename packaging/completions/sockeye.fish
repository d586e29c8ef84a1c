# fish completion for sockeye, installed as
# /usr/share/fish/vendor_completions.d/sockeye.fish. Every long option
# `sockeye --help` lists must appear here (tests/packaging checks).

function __sockeye_interfaces
    echo any
    for d in /sys/class/net/*
        basename $d
    end
end

function __sockeye_capture_files
    # Directories to walk into, and capture files (any case).
    set -l token (commandline -ct | string replace -r -- '^--read=' '')
    # __fish_complete_path prints "path<TAB>description".
    for f in (__fish_complete_path $token | string replace -r '\t.*' '')
        switch (string lower -- $f)
            case '*.pcap' '*.pcapng' '*.cap' '*/'
                echo $f
        end
    end
end

complete -c sockeye -f

# Input
complete -c sockeye -s i -l interface -x -a '(__sockeye_interfaces)' -d 'Capture on this interface'
complete -c sockeye -s r -l read -x -a '(__sockeye_capture_files)' -d 'Read a pcap or pcapng file'
complete -c sockeye -s f -l filter -x -d 'BPF capture filter (pcap-filter(7))'
complete -c sockeye -l where -x -d 'Only the connections this filter-language expression selects'
complete -c sockeye -s c -l count -x -d 'Stop after N packets'
complete -c sockeye -s d -l duration -x -d 'Live: stop after SECS seconds'

# Output
complete -c sockeye -l json -n 'not __fish_seen_argument -l summary' -d 'JSON Lines: one object per flow, then a summary'
complete -c sockeye -l summary -n 'not __fish_seen_argument -l json' -d 'A table of flows, largest first'
complete -c sockeye -l interval -x -d 'Refresh period of the plain live table (seconds)'

# Exports
complete -c sockeye -l headless -d 'No UI: capture, attribution and exports only'
complete -c sockeye -l pcapng-export -r -F -d 'Write packets as pcapng with process comments'
complete -c sockeye -l pcap-export -r -F -d 'Write packets as pcap plus FILE.connections.jsonl'
complete -c sockeye -l json-log -r -F -d 'JSON Lines connection events (- for stdout)'
complete -c sockeye -l export-loss-ok -d 'Exit 0 even when an export lost records'
complete -c sockeye -l ipfix -x -d 'Send IPFIX flow records to [udp://|tcp://]HOST:PORT'
complete -c sockeye -l metrics -x -d 'Serve Prometheus metrics on ADDR:PORT (/metrics)'
complete -c sockeye -l bits -d 'Rates and totals in bits instead of bytes'
complete -c sockeye -l metrics-countries -d 'Per-country totals of the remotes in --metrics'
complete -c sockeye -l record -r -F -n 'not __fish_seen_subcommand_from history report' -d 'Keep a history of the connections (SQLite store FILE)'
complete -c sockeye -l retain -x -a '7d 30d 90d 0' -n 'not __fish_seen_subcommand_from history report' -d 'History kept (default 30d)'
complete -c sockeye -l max-store -x -a '500M 1G 4G 0' -n 'not __fish_seen_subcommand_from history report' -d 'Cap of the history store (default 1G)'

# sockeye history
complete -c sockeye -n __fish_use_subcommand -a history -d 'The recorded connections (--record)'
complete -c sockeye -n '__fish_seen_subcommand_from history' -l store -r -F -d 'The history store'
complete -c sockeye -n '__fish_seen_subcommand_from history' -l since -x -a '1h 24h 7d 30d' -d 'Only connections with a packet since'
complete -c sockeye -n '__fish_seen_subcommand_from history' -l filter -x -d 'Only connections the filter language matches'

# sockeye report
complete -c sockeye -n __fish_use_subcommand -a report -d 'Top talkers from the recorded usage'
complete -c sockeye -n '__fish_seen_subcommand_from report' -l store -r -F -d 'The history store'
complete -c sockeye -n '__fish_seen_subcommand_from report' -l since -x -a '1h 24h 7d 30d' -d 'From (default 24h)'
complete -c sockeye -n '__fish_seen_subcommand_from report' -l until -x -a '1h 24h 7d' -d 'Up to (default now)'
complete -c sockeye -n '__fish_seen_subcommand_from report' -l by -x -a 'process app host country container day' -d 'Sum by'
complete -c sockeye -n '__fish_seen_subcommand_from report' -l filter -x -d 'Only connections the filter language matches'
complete -c sockeye -n '__fish_seen_subcommand_from report' -l json -d 'One JSON object'
complete -c sockeye -n '__fish_seen_subcommand_from report' -l csv -d 'CSV with a header'

# Terminal UI
complete -c sockeye -l speed -x -a 'max 0.5 1 2 10 100' -d 'Replay -r files N times their pace'
complete -c sockeye -l refresh -x -d 'Redraw period (milliseconds)'
complete -c sockeye -l theme -x -a 'default dark light mono' -d 'Colour theme'
complete -c sockeye -l config -r -F -d 'Settings file'
complete -c sockeye -l no-resolve -d 'No reverse DNS'
complete -c sockeye -l dns-server -x -d 'Reverse DNS server IP[:PORT]'
complete -c sockeye -l geoip-dir -r -F -d 'Country, city and ASN databases (.mmdb): directory or file'
complete -c sockeye -l no-geoip -d 'No country, city or network of remote addresses'
complete -c sockeye -l no-processes -d 'No process attribution'
complete -c sockeye -l no-ebpf -d 'No eBPF: attribute from sock_diag and /proc only'

# Engine
complete -c sockeye -l max-flows -x -d 'Active flows kept'
complete -c sockeye -l no-dpi -d 'No deep packet inspection'

# Sandbox
complete -c sockeye -l no-sandbox -d 'Keep every privilege after start-up'
complete -c sockeye -l sandbox-strict -d 'Exit unless every sandbox layer is enforced'
complete -c sockeye -l sandbox-check -d 'Probe the sandbox from inside and exit'
complete -c sockeye -l allow-kill -d 'Let the UI stop the selected process (K)'

complete -c sockeye -s V -l version -d 'Version, libpcap version and build target'
complete -c sockeye -s h -l help -d 'Usage'
