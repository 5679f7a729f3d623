# The requests of the speed targets (issue 16), shared by benches/http.sh and
# benches/profile.sh: `write_requests <dir> <store>` writes one JSON body and one wrk script
# per name of $QUERIES into <dir>; `post <dir> <addr> <name>` sends one of them.

QUERIES="lookup nested search experience paths peers"

# dir name query: the body and the wrk script of one request.
request_files() {
  python3 -c 'import json,sys; print(json.dumps({"query": sys.argv[1]}))' "$3" >"$1/$2.json"
  cat >"$1/$2.lua" <<LUA
local f = io.open("$1/$2.json"); local body = f:read("*a"); f:close()
request = function()
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)
end
LUA
}

write_requests() { # dir store
  local dir=$1 store=$2 for=${RETEX_BENCH_FOR:-collectivity:fr-commune-38169} solution
  solution=$(python3 - "$store" <<'PY'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
# A typical solution (20 to 100 adoptions), not the most adopted one: paging over the 43,000
# adoptions of the largest synthetic solution costs far more (reported apart in the README).
row = db.execute("SELECT solution_id FROM adoptions GROUP BY solution_id HAVING count(*) BETWEEN 20 AND 100 ORDER BY solution_id LIMIT 1").fetchone()
print(row[0] if row else "solution:bigbluebutton")
PY
)
  request_files "$dir" lookup '{ solution(id: "solution:bigbluebutton") { id name licence kind } }'
  request_files "$dir" nested "{ solution(id: \"$solution\") { adoptions(first: 20) { edges { node { status collectivity { name population } outcomes { kind date } } } } } }"
  request_files "$dir" search '{ search(text: "visio") { kind label } }'
  request_files "$dir" experience "{ experience(need: \"need:video-conferencing\", for: \"$for\", first: 10) { totalCount solutions { solution { id name kind } counts { adoptions } peerAdopters score { total parts { name points } } } } }"
  request_files "$dir" paths "{ adoptionPaths(from: \"solution:microsoft-teams\", for: \"$for\", first: 10) { totalCount paths { alternative { solution { id name } score { total } } adopters { collectivity { id } outcomeKinds } } } }"
  request_files "$dir" peers "{ peers(of: \"$for\", need: \"need:video-conferencing\", first: 10) { collectivity { id name } similarity { score { total } } adoptions { solution { id } status outcomeKinds } } }"
}

post() { # dir addr name
  curl -fs -X POST -H 'Content-Type: application/json' --data @"$1/$3.json" "http://$2/graphql"
}

# The first analysis builds the index (seconds at national scale, more on a busy machine):
# asked until it answers, before anything is measured.
warm_up() { # dir addr
  for _ in $(seq 1 60); do post "$1" "$2" experience >/dev/null && return 0; sleep 1; done
  echo "the server never answered the warm-up request" >&2
  return 1
}
