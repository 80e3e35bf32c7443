# Shared pieces of the scripts in scripts/: sourced, never run. Written for bash 3.2 too (macOS's
# /bin/bash), so no associative arrays, no ${var,,}, no `wait -n`.
#
#   . "$(dirname "$0")/lib/common.sh"
#
# sets SCRIPT (the script's name for messages), moves to the repository root and offers the functions
# below. Messages for the user are one line each, prefixed with the script's name.

SCRIPT="scripts/$(basename "$0")"
cd "$(dirname "$0")/.." || exit 1
ROOT=$(pwd)
JAR=target/whatsapp-chatbot.jar

# One line on stderr, then exit: `die 2 "unknown option --x (see $SCRIPT --help)"`.
die() {
  local status=$1
  shift
  echo "$SCRIPT: $*" >&2
  exit "$status"
}

say() {
  echo "==> $*"
}

unknown_option() {
  die 2 "unknown option $1 (see $SCRIPT --help)"
}

# Stops with a clear error when an option that takes a value (`--url URL`) has none:
#   --url) need_value "$@"; url=$2; shift ;;
need_value() {
  [ $# -ge 2 ] && [ -n "$2" ] && [ "${2#--}" = "$2" ] || die 2 "$1 needs a value (see $SCRIPT --help)"
}

# Builds the jar when it is missing or older than anything it is built from (pom.xml, src/main/, conf/; a test edit does not make the jar stale):
# the one stale-jar check every script uses, so none of them runs yesterday's code.
ensure_jar() {
  if [ -f "$JAR" ] && [ -z "$(find pom.xml src/main conf -newer "$JAR" -type f 2>/dev/null | head -n 1)" ]; then
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || die 1 "$JAR must be built and Maven is not installed (Debian/Ubuntu: sudo apt-get install maven, macOS: brew install maven)"
  say "building $JAR (mvn -q -B -DskipTests package)"
  mvn -q -B -DskipTests package || die 1 "the build failed (see the Maven output above)"
}

# For the scripts that talk to a running bot and need the jar only for its JSON classes: builds it
# when missing, never rebuilds it, since replacing the jar under a running bot breaks that bot.
ensure_client_jar() {
  [ -f "$JAR" ] || ensure_jar
}

# True when something accepts TCP connections on host:port.
port_answers() {
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# A port in 1..65535, or a clear error naming the variable: `check_port HTTP_PORT "$port"`.
check_port() {
  case "$2" in
    ''|*[!0-9]*) die 2 "$1=$2 is not a port number; example: $1=8080" ;;
  esac
  [ "$2" -ge 1 ] && [ "$2" -le 65535 ] || die 2 "$1=$2 is not a port number (1 to 65535); example: $1=8080"
}

# A port nothing listens on, from $1 upwards (at most 100 tried).
free_port_from() {
  local port=$1
  while [ "$port" -lt $(($1 + 100)) ]; do
    port_answers 127.0.0.1 "$port" || { echo "$port"; return 0; }
    port=$((port + 1))
  done
  return 1
}

# The HTTP status of `GET path` at host:port (`http_status 127.0.0.1 8080 /health/ready`), or
# nothing when nobody answers within 2 s.
http_status() {
  local status
  status=$( (exec 3<>"/dev/tcp/$1/$2" \
    && printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$3" "$1" >&3 \
    && read -r -t 2 line <&3 && echo "$line") 2>/dev/null)
  status=${status#HTTP/* }
  echo "${status%% *}"
}

# The pids listening on a TCP port, when this machine has a tool that tells (ss or lsof); empty otherwise.
listening_pids() {
  if command -v ss >/dev/null 2>&1; then
    ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2
  elif command -v lsof >/dev/null 2>&1; then
    lsof -nP -iTCP:"$1" -sTCP:LISTEN -t 2>/dev/null
  fi
}

# Base URL of a running bot from --url or HTTP_PORT, checked to answer /health/live: sandbox-chat and
# observability-demo call this before they start a JVM, so a missing bot is one line, not a stack trace.
require_bot() {
  local url=$1 hostport host port
  case "$url" in http://*) ;; *) die 2 "--url $url: give an http:// URL, e.g. --url http://127.0.0.1:8080" ;; esac
  hostport=${url#*://}
  hostport=${hostport%%/*}
  host=${hostport%%:*}
  port=${hostport##*:}
  [ "$port" = "$hostport" ] && port=80
  [ "$(http_status "$host" "$port" /health/live)" = 200 ] \
    || die 1 "no bot answers at $url (start one with scripts/run, or point --url at it)"
}
