#!/usr/bin/env bash
# Regenerate the README screenshots from the real window: the app runs under Xvfb (software GL, no GPU) on the
# bundled samples and ImageMagick's `import` grabs the screen. Usage: bash scripts/screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=assets/screenshots
mkdir -p "$out"

missing=()
command -v Xvfb >/dev/null 2>&1 || missing+=(xvfb xauth)
command -v import >/dev/null 2>&1 || missing+=(imagemagick)
command -v xdotool >/dev/null 2>&1 || missing+=(xdotool)
dpkg -s libxkbcommon-x11-0 >/dev/null 2>&1 || missing+=(libxkbcommon-x11-0)
dpkg -s libgl1-mesa-dri >/dev/null 2>&1 || missing+=(libgl1-mesa-dri libxcursor1 libxi6)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

cargo build --release
bin=${CARGO_TARGET_DIR:-target}/release/eventscope

display=:97
Xvfb "$display" -screen 0 1400x860x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
config=$(mktemp -d)
trap 'kill $xvfb_pid 2>/dev/null || true; rm -rf "$config"' EXIT
sleep 1

# shot NAME SECONDS ARGS...: run the app with ARGS, wait, grab the screen, close the app.
shot() {
  local name=$1 wait=$2
  shift 2
  env -u WAYLAND_DISPLAY DISPLAY="$display" XDG_CONFIG_HOME="$config" XDG_DATA_HOME="$config" "$bin" "$@" &
  local app=$!
  # The pointer in a corner, so no tooltip shows where Xvfb happened to leave it.
  DISPLAY="$display" xdotool mousemove 1399 859 2>/dev/null || true
  sleep "$wait"
  DISPLAY="$display" import -window root "$out/$name.png"
  kill "$app" 2>/dev/null || true
  wait "$app" 2>/dev/null || true
  echo "wrote $out/$name.png"
}

shot main 4 sample-data/shop.sqlite --stream c3ba9975-1aa5-4e32-93c7-7b341e5d1c37 --at 57
shot undecodable 4 sample-data/single_log.sqlite --stream event_log --at 42
shot payload-paths 4 sample-data/person_registry.sqlite --stream 7
shot replay 5 sample-data/cqrs-es-snapshots.sqlite --stream BankAccount/ACME-0001 --reducers sample-data/cqrs-es/reducers.json
shot library-layout 4 sample-data/event-sourcery-sqlalchemy.sqlite --stream cart/0f4bdfd9-1591-5d2e-a768-3d2f8ecfc901 --at 10
shot start 3
shot overview 4 sample-data/shop.sqlite
shot lanes 5 sample-data/event-sourcery-sqlalchemy.sqlite --stream order/770360b1-5061-4304-86aa-236d1a4c3d2e --at 1 --correlation ccd2dff8-9165-4f01-83df-d84fb8e8d398
# The audit: findings on the faults sample (the selected stream's markers on the timeline), and a search.
shot findings 5 sample-data/faults.sqlite --stream order-2 --panel findings
shot search 5 sample-data/shop.sqlite --search '.data.status == "shipped"'
# chart.png was grabbed with the pointer resting on the chart (its hover text), from this start:
#   eventscope sample-data/eventsourcing-bank.sqlite --stream 9e6f0814-1490-5e31-a7fb-07b2bdd25b03 \
#     --reducers sample-data/eventsourcing/reducers.json --at 30 --chart /balance
# A million events: the timeline draws density, the table follows the playhead.
big="$config/million.sqlite"
python3 scripts/big_store.py "$big"
shot million 12 "$big" --stream account-1 --at 500000
# light.png is not made here: it was grabbed by hand after View > Light (the command line has no theme option;
# the choice lives in the window's settings), with the pointer over the event panel, from this start:
#   eventscope sample-data/shop.sqlite --stream 20db2fc5-6e11-442a-9358-96fad7027ad9
