-- Prints wrk's results as one JSON line; for POST scenarios, fetches the form
-- first (per thread) to get a session cookie and a CSRF token. BENCH_COOKIE, when set,
-- is a logged-in session (bench/run logs in before the run) sent with every request.
local form_path = os.getenv("BENCH_FORM_PATH")
local body_fields = os.getenv("BENCH_BODY") or ""
local method = os.getenv("BENCH_METHOD") or "GET"
local cookie, token
if (os.getenv("BENCH_COOKIE") or "") ~= "" then cookie = os.getenv("BENCH_COOKIE") end

request = function()
  if method == "POST" then
    if not token then
      return wrk.format("GET", form_path, cookie and { ["Cookie"] = cookie } or nil)
    end
    return wrk.format("POST", wrk.path, {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["Cookie"] = cookie,
    }, body_fields .. "&csrf_token=" .. token)
  end
  return wrk.format(method, wrk.path, cookie and { ["Cookie"] = cookie } or nil)
end

response = function(status, headers, body)
  if method == "POST" and not token then
    local set_cookie = headers["Set-Cookie"]
    if set_cookie then cookie = set_cookie:match("^[^;]+") or cookie end
    token = body:match('name="csrf_token" type="hidden" value="([^"]+)"')
  end
end

done = function(summary, latency, requests)
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "seconds": %.3f, "non_2xx_3xx": %d, "errors": %d, ' ..
    '"p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f, "mean_ms": %.3f}\n',
    summary.requests, summary.duration / 1e6, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.mean / 1000))
end
