from academy.core.pagecache import clear_page_cache
from academy.core.querycount import count_queries
from academy.demo import DEMO_PASSWORD, load_demo
from academy.extensions import db


def test_measure(client):
    load_demo()
    db.session.commit()
    for phone in ("13800000001", "13800000002"):
        client.post("/logout")
        client.post("/login", data={"phone": phone, "password": DEMO_PASSWORD})
        client.get("/admin")
        clear_page_cache()
        with count_queries(db.engine) as c:
            assert client.get("/admin").status_code == 200
        print("\nDASH", phone, c.count)
        for s in c.statements:
            print("   ", str(s)[:150].replace("\n", " "))
        with count_queries(db.engine) as c:
            client.get("/admin")
        print("WARM", phone, c.count)
