"""The application as the benchmark serves it: the academy, plus a bare endpoint answering "ok" through
the same app (its hooks included), the floor each page is compared with. gunicorn loads it as
`app:app` with bench/ on its python path; the product itself knows nothing of benchmarks."""
from academy import create_app

app = create_app()


@app.get("/bench/bare")
def bench_bare():
    return "ok"
