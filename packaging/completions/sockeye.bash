# bash completion for sockeye                              -*- shell-script -*-
# Installed as /usr/share/bash-completion/completions/sockeye. Every long
# option `sockeye --help` lists must appear here (tests/packaging checks).

_sockeye_interfaces() {
    local d names=(any)
    for d in /sys/class/net/*; do
        [[ -e $d ]] && names+=("${d##*/}")
    done
    printf '%s\n' "${names[@]}"
}

_sockeye() {
    # words and cword belong to _init_completion, set for it to fill.
    # shellcheck disable=SC2034
    local cur prev words cword split=false
    if declare -F _init_completion >/dev/null; then
        _init_completion -s || return
    else
        # Without the bash-completion package: the plain variables, and
        # --opt=value split by hand.
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD - 1]}
        if [[ $cur == --*=* ]]; then
            prev=${cur%%=*}
            cur=${cur#*=}
            split=true
        fi
    fi

    # sockeye history [--store FILE] [--since WHEN] [--filter EXPR] [--json]
    # sockeye report [--store FILE] [--since WHEN] [--until WHEN] [--by KEY]
    #                [--filter EXPR] [--json|--csv]
    local sub=${COMP_WORDS[1]:-}
    if [[ ($sub == history || $sub == report) && $COMP_CWORD -gt 1 ]]; then
        case $prev in
            --store)
                compopt -o filenames 2>/dev/null
                mapfile -t COMPREPLY < <(compgen -f -- "$cur")
                ;;
            --since | --until)
                mapfile -t COMPREPLY < <(compgen -W "1h 24h 7d 30d" -- "$cur")
                ;;
            --by)
                mapfile -t COMPREPLY < <(compgen -W "process app host country container day" -- "$cur")
                ;;
            --filter)
                ;;
            *)
                [[ $split == true ]] && return
                if [[ $sub == report ]]; then
                    mapfile -t COMPREPLY < <(compgen -W "--store --since --until --by --filter --json --csv -h --help" -- "$cur")
                else
                    mapfile -t COMPREPLY < <(compgen -W "--store --since --filter --json -h --help" -- "$cur")
                fi
                ;;
        esac
        return
    fi
    if [[ $COMP_CWORD -eq 1 && $cur != -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "history report" -- "$cur")
        return
    fi

    case $prev in
        -i | --interface)
            mapfile -t COMPREPLY < <(compgen -W "$(_sockeye_interfaces)" -- "$cur")
            return
            ;;
        -r | --read)
            # Directories to walk into, and capture files (any case).
            compopt -o filenames 2>/dev/null
            local f
            COMPREPLY=()
            while IFS= read -r f; do
                case ${f,,} in
                    *.pcap | *.pcapng | *.cap) COMPREPLY+=("$f") ;;
                    *) [[ -d $f ]] && COMPREPLY+=("$f") ;;
                esac
            done < <(compgen -f -- "$cur")
            return
            ;;
        --config | --pcapng-export | --pcap-export | --json-log | --geoip-dir | --record)
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -f -- "$cur")
            return
            ;;
        --theme)
            mapfile -t COMPREPLY < <(compgen -W "default dark light mono" -- "$cur")
            return
            ;;
        --speed)
            mapfile -t COMPREPLY < <(compgen -W "max 0.5 1 2 10 100" -- "$cur")
            return
            ;;
        -f | --filter | --where | -c | --count | -d | --duration | --interval | --refresh | \
            --dns-server | --max-flows | --metrics | --ipfix | --retain | --max-store)
            # Free-form values: nothing sensible to offer.
            COMPREPLY=()
            return
            ;;
    esac

    [[ $split == true ]] && return

    if [[ $cur == -* ]]; then
        local opts="-i --interface -r --read -f --filter --where -c --count -d --duration
            --json --summary --interval --headless --pcapng-export --pcap-export
            --json-log --export-loss-ok --metrics --metrics-countries --ipfix --record --retain --max-store
            --speed --refresh
            --theme --config
            --no-resolve --dns-server --geoip-dir --no-geoip --no-processes --no-ebpf
            --max-flows --no-dpi --bits
            --no-sandbox --sandbox-strict --sandbox-check --allow-kill
            -V --version -h --help"
        mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
    fi
}

complete -F _sockeye sockeye
