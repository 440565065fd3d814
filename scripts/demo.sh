#!/usr/bin/env bash
# The README's demo command: sets everything up (apt packages, npm ci, build),
# starts real servers on free loopback ports (Prometheus with 30 days of
# generated history, two Redis, nginx caching a local origin), runs relia's
# end-to-end story against them, always stops them, and ends by printing what
# it showed. Every step's command line is printed before it runs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

state=.relia-demo/servers
work=.relia-demo/work
mkdir -p .relia-demo
cleanup() { node scripts/servers.mjs down --state "$state" >/dev/null 2>&1 || true; }
trap cleanup EXIT INT TERM
node scripts/servers.mjs down --state "$state" >/dev/null 2>&1 || true
echo "== starting local servers (first run builds 30 days of history: ~5 s)"
node scripts/servers.mjs up --state "$state" >/dev/null
rm -rf "$work" && mkdir -p "$work"

json() { node -e 'const v=require(process.argv[1]); console.log(process.argv[2].split(".").reduce((o,k)=>o?.[k],v))' "$PWD/$state/servers.json" "$1"; }
PROM=$(json prometheus.url)
REDIS=$(json redis.0.url)
REDIS2=$(json redis.1.url)
ORIGIN=$(json origin.url)
NGINX=$(json nginx.url)
AT=$(json history.end)   # the history ends here; evaluating "as of" it makes every number reproducible
export NO_COLOR=${NO_COLOR:-}

shown=()
step() { printf '\n\033[1m━━ %s\033[0m\n' "$1"; shown+=("$1"); }
# run EXPECTED_EXIT relia ARGS...: print the command, run it, check the exit code.
run() {
  local want=$1; shift
  # The command line, wrapped with ` \` continuations to fit 100 columns; a flag stays with its value.
  local args=("$@") tokens=() i=0 tok next line='$ relia'
  while [ $i -lt ${#args[@]} ]; do
    tok=${args[$i]}; [[ $tok == *[[:space:]]* ]] && tok="'$tok'"
    if [[ ${args[$i]} == -* ]] && [ $((i + 1)) -lt ${#args[@]} ] && [[ ${args[$((i + 1))]} != -* ]]; then
      next=${args[$((i + 1))]}; [[ $next == *[[:space:]]* ]] && next="'$next'"
      tok="$tok $next"; i=$((i + 1))
    fi
    tokens+=("$tok"); i=$((i + 1))
  done
  for tok in "${tokens[@]}"; do
    if [ $(( ${#line} + ${#tok} + 3 )) -gt 100 ]; then printf '%s \\\n' "$line"; line="    $tok"; else line="$line $tok"; fi
  done
  printf '%s\n' "$line"
  set +e
  node bin/run.js "$@"
  local got=$?
  set -e
  if [ "$got" != "$want" ]; then
    echo "demo: expected exit $want from 'relia $*', got $got" >&2
    exit 1
  fi
  [ "$want" = 0 ] || echo "(exit $got, as expected)"
}

step "Configuration: a starter config for the local servers, validated and shown redacted"
run 0 init --path "$work/relia.config.yaml" --environment local --prometheus-url "$PROM" --redis-url "$REDIS/0"
export RELIA_CONFIG="$work/relia.config.yaml"
run 0 config validate
run 0 providers list


step "Cache: warm Redis with the 20 most-played titles (Prometheus popularity), at most 200/s"
run 0 cache warm --source 'prometheus:topk(20, sum by (title) (increase(plays_total[1h])))' --prometheus "$PROM" --at "$AT" \
  --template 'title:{title}' --origin "$ORIGIN/items/{key}" --target "$REDIS/0" --ttl 1h --rate 200/s --no-progress
step "Cache: re-running is safe: every key is already hot, nothing is fetched"
run 0 cache warm --source 'prometheus:topk(20, sum by (title) (increase(plays_total[1h])))' --prometheus "$PROM" --at "$AT" \
  --template 'title:{title}' --origin "$ORIGIN/items/{key}" --target "$REDIS/0" --ttl 1h --no-progress
step "Cache: warm nginx (the CDN stand-in) with 200 item paths; every one is a HIT afterwards"
node -e 'for (let i = 1; i <= 200; i++) console.log(`/items/item-${String(i).padStart(3, "0")}`)' > "$work/paths.txt"
run 0 cache warm --source "$work/paths.txt" --target "$NGINX" --rate 500/s --verify --no-progress
step "Cache: Redis hit ratio, memory and key prefixes"
run 0 cache stats --target "$REDIS/0"
step "Cache: invalidation shows its plan first (--dry-run; off a TTY it is the default); --yes spreads the deletes over 2 s"
run 0 cache invalidate --target "$REDIS/0" --pattern 'title:*' --over 2s --sample 3 --dry-run
run 0 cache invalidate --target "$REDIS/0" --pattern 'title:*' --over 2s --yes --no-progress

SLOS=docs/examples/slo/services
step "Budget: five SLO specs validated (relia native, the same rules for OpenSLO and Sloth)"
run 0 budget validate "$SLOS"
step "Budget: status of every SLO as of the end of the history: budget left, burn rates, incidents"
run 0 budget status --slo "$SLOS" --at "$AT"
step "Budget: the CI gate refuses a deploy of recommendations (budget exhausted, fast burn): exit 1"
run 1 budget check --slo "$SLOS/recommendations.yaml" --at "$AT" --markdown "$work/budget-report.md"
step "Budget: the CI gate lets search through: exit 0"
run 0 budget check --slo "$SLOS/search.yaml" --at "$AT"
step "Budget: multi-window burn-rate alert rules for Prometheus, checked by promtool"
run 0 budget rules --slo "$SLOS/checkout.yaml" --out "$work/checkout-rules.yaml"
promtool check rules "$work/checkout-rules.yaml"

RISK=docs/examples/risk
step "Risk: MTTD, MTTR and MTBF per service and category from a year of incidents (two exports, one mapped with --map)"
run 0 risk history --incidents "$RISK/incidents.csv" --incidents "$RISK/incidents-pagerduty.csv" \
  --map severity=urgency,started=created_at,detected=acknowledged_at,resolved=resolved_at --at "$AT"
step "Risk: the register ranked against the playback SLO's error budget, ahead of a premiere at 3x traffic"
run 0 risk score --register "$RISK/register.yaml" --slo-file "$RISK/playback-slo.yaml" \
  --event "premiere:2026-12-18T20:00:00Z/3h x3" --users 400000
step "Risk: the same register with its mitigations applied, and the minutes each one saves"
run 0 risk score --register "$RISK/register.yaml" --slo-file "$RISK/playback-slo.yaml" --mitigated
step "Risk: Monte Carlo of yearly bad minutes (seeded, reproducible)"
run 0 risk simulate --register "$RISK/register.yaml" --slo-file "$RISK/playback-slo.yaml" --seed 42

CAP=docs/examples/capacity
step "Capacity: the streaming service's fleet plan (15M streams at 3.5 Mbps, 95% edge hits, headroom policies)"
run 0 capacity plan --plan "$CAP/streaming-plan.yaml"
step "Capacity: the same plan as a Kubernetes HorizontalPodAutoscaler"
run 0 capacity plan --plan "$CAP/streaming-plan.yaml" --emit hpa
step "Capacity: how many playback API workers for 2,000 req/s at 40 ms each, 95% within 10 ms and at most 85% busy (Erlang C)"
run 0 capacity queue --arrival-rate 2000/s --service-time 40ms --target-service-level 95% --target-wait 10ms --max-occupancy 85%
step "Capacity: the same queue with too few workers is unstable: exit 1"
run 1 capacity queue --arrival-rate 2000/s --service-time 40ms --servers 80
step "Capacity: Little's law: 15M concurrent streams of 45 minutes arrive at this rate"
run 0 capacity little --concurrency 15000000 --time-in-system 45m
step "Capacity: the Universal Scalability Law fitted to load-test measurements, with predictions"
run 0 capacity usl --input "$CAP/usl-codahale.csv" --predict 64 128 256
step "Capacity: a Holt-Winters forecast of checkout traffic from 7 days of Prometheus history, with scheduled scaling"
run 0 capacity forecast --query 'sum(rate(http_requests_total{service="checkout"}[5m]))' --range 7d --at "$AT" --step 5m --horizon 1d \
  --capacity-per-instance 50/s --lead-time 15m
step "Capacity: headroom of checkout against 400 req/s, and the time to saturation"
run 0 capacity headroom --usage-query 'sum(rate(http_requests_total{service="checkout"}[5m]))' --capacity 400/s --at "$AT"

# Chaos: the example experiment, pointed at the local origin through relia's fault proxy on a free port.
PROXY_PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
sed -e "s#proxy: 127.0.0.1:18080#proxy: 127.0.0.1:$PROXY_PORT#" -e "s#/health#/__origin/health#g" docs/examples/chaos/latency.yaml > "$work/latency.yaml"
step "Chaos: the latency experiment validated, and its plan (what would be injected and how it is undone)"
ORIGIN="${ORIGIN#http://}" run 0 chaos validate "$work/latency.yaml"
ORIGIN="${ORIGIN#http://}" run 0 chaos plan "$work/latency.yaml"
step "Chaos: 300 ms of origin latency; the userImpact guard (> 1 % slower than 200 ms) aborts the run and the latency is removed: exit 4"
ORIGIN="${ORIGIN#http://}" run 4 chaos run "$work/latency.yaml" --yes --guard-interval 200ms --journal "$work/journal.json"
step "Chaos: the journal (chaostoolkit's fields plus relia's guard events and reaction time)"
run 0 chaos journal "$work/journal.json"

# Failover: moto holds a hosted zone with two weighted records (100/0), a health check, an Auto
# Scaling group and an alarm per region; relia reaches it through its AWS adapters. The journal
# goes to the default place under the config dir (here inside the demo's work dir).
MOTO=$(json moto.url)
FO_PLAN=$(node scripts/demo/seed-failover.mjs --moto "$MOTO" --out "$work" --slo "$SLOS/search.yaml")
fo() { AWS_ENDPOINT_URL="$MOTO" AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \
  AWS_EC2_METADATA_DISABLED=true AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true \
  XDG_CONFIG_HOME="$PWD/$work/config" run "$@"; }
step "Failover: a plan seeded on moto: 2 steps, each baked 2 s under health, alarm and SLO guards"
sed -n '2,$p' "$FO_PLAN"
fo 0 failover plan --plan "$FO_PLAN" --from us-east-1 --to eu-west-1 --slo-at "$AT"
step "Failover: apply: the eu-west-1 group scaled 2 → 6 first, then 100/0 → 50/50 → 0/100"
fo 0 failover apply --plan "$FO_PLAN" --from us-east-1 --to eu-west-1 --slo-at "$AT" --yes
step "Failover: status: the last operation's journal and the live weights"
fo 0 failover status
step "Failover: rollback to 100/0 with the same guards; the group scaled back to 2"
fo 0 failover rollback --slo-at "$AT" --yes

# @@FAMILIES@@

echo
echo "== The demo showed:"
for s in "${shown[@]}"; do echo "  - $s"; done
echo "Servers stopped. Re-run any step above by hand: node scripts/servers.mjs up --state $state"
