"""The main pages, by who sees them: checked for accessibility and phone width, and photographed."""

def main_pages(accounts) -> dict:
    course = accounts["approval_course"]
    return {
        None: ["/", "/courses", f"/courses/{course}", "/programmes", "/programmes/zhuji", "/partners", "/login",
               "/register", "/verify"],
        accounts["worker"]: ["/learning", "/me", "/account/profile", "/notifications"],
        accounts["instructor"]: ["/teach/courses", "/teach/courses/new", "/teach/approvals",
                                 f"/teach/courses/{accounts['finished_course']}/results"],
        accounts["admin"]: ["/admin", "/admin/reports/progress", "/admin/users", "/agreements", "/admin/audit"],
    }
