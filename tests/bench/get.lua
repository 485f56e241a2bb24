-- GET with the session cookie of the benchmark user (PLI_BENCH_COOKIE).
wrk.headers["Cookie"] = os.getenv("PLI_BENCH_COOKIE")
