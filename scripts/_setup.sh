# Shared set-up for scripts/demo, scripts/test and scripts/serve; source it, then call `mumpuni_setup dev|prod`.
# Creates .venv (Python 3.11 or 3.12) if missing, installs the package when pyproject.toml changed since the
# last install (stamp file in .venv), installs the front-end packages when frontend/package-lock.json changed,
# and compiles translations when msgfmt is available (the .mo files are committed as well).
# shellcheck shell=bash

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$REPO_ROOT/.venv"
PY="$VENV/bin/python"
export PIP_DISABLE_PIP_VERSION_CHECK=1

_say() { printf '==> %s\n' "$*" >&2; }
_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

_hash() { cat "$@" | sha256sum | cut -c1-64; }

_find_python() {
    local candidate version
    for candidate in python3.11 python3.12 python3; do
        if command -v "$candidate" >/dev/null 2>&1; then
            version="$("$candidate" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true)"
            case "$version" in
                3.11 | 3.12) command -v "$candidate"; return 0 ;;
            esac
        fi
    done
    return 1
}

_setup_venv() {
    if [[ -x "$PY" ]] && "$PY" -c 'import sys; sys.exit(0 if sys.version_info[:2] in ((3, 11), (3, 12)) else 1)'; then
        return 0
    fi
    local python
    python="$(_find_python)" || _die "Python 3.11 is required (python3.11 not found; python3 is not 3.11/3.12).
       Install it (e.g. 'apt-get install python3.11 python3.11-venv' or pyenv) and run this script again."
    _say "creating .venv with $python"
    rm -rf "$VENV"
    "$python" -m venv "$VENV" || _die "could not create .venv (on Debian/Ubuntu: apt-get install python3-venv)"
    "$PY" -m pip install --quiet --upgrade pip
}

_install_python_packages() {
    local extras="$1" stamp="$VENV/.mumpuni-installed" wanted have=""
    wanted="$(_hash "$REPO_ROOT/pyproject.toml") $extras"
    [[ -f "$stamp" ]] && have="$(cat "$stamp")"
    # A dev install also satisfies a production one.
    if [[ "$have" == "$wanted" || ( "$extras" == "prod" && "$have" == "${wanted% prod} dev" ) ]]; then
        return 0
    fi
    local target="."
    [[ "$extras" == "dev" ]] && target=".[dev]"
    _say "installing Python packages (pip install -e '$target')"
    (cd "$REPO_ROOT" && "$PY" -m pip install --quiet -e "$target") || _die "pip install failed"
    echo "$wanted" > "$stamp"
}

_install_frontend() {
    local dir="$REPO_ROOT/frontend"
    [[ -f "$dir/package.json" ]] || return 0
    command -v npm >/dev/null 2>&1 || _die "npm is required for the front-end packages (Bootstrap, HTMX).
       Install Node.js with npm (e.g. 'apt-get install nodejs npm') and run this script again."
    local lock="$dir/package-lock.json" stamp="$dir/node_modules/.mumpuni-installed" wanted
    if [[ -f "$lock" ]]; then wanted="$(_hash "$lock")"; else wanted="$(_hash "$dir/package.json")"; fi
    if [[ -d "$dir/node_modules" && -f "$stamp" && "$(cat "$stamp")" == "$wanted" ]]; then
        return 0
    fi
    _say "installing front-end packages (npm)"
    if [[ -f "$lock" ]]; then
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) || _die "npm ci failed"
    else
        (cd "$dir" && npm install --no-audit --no-fund --loglevel=error) || _die "npm install failed"
    fi
    echo "$wanted" > "$stamp"
}

_compile_messages() {
    command -v msgfmt >/dev/null 2>&1 || return 0
    local po mo
    while IFS= read -r -d '' po; do
        mo="${po%.po}.mo"
        if [[ ! -f "$mo" || "$po" -nt "$mo" ]]; then
            msgfmt --check-format -o "$mo" "$po" || _die "msgfmt failed on $po"
        fi
    done < <(find "$REPO_ROOT/mumpuni" -path '*/locale/*/LC_MESSAGES/*.po' -print0)
}

# mumpuni_setup dev|prod
mumpuni_setup() {
    local extras="${1:-prod}"
    _setup_venv
    _install_python_packages "$extras"
    _install_frontend
    _compile_messages
    cd "$REPO_ROOT"
}
