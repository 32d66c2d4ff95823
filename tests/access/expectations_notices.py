"""我的待办 and notices: every signed-in officer has their own; nobody opens another's notice.

The world: a notice for the colleague (station A). Opening it is 404 for everyone
else, administrators included: a notice is private to its recipient.
"""

from notices.models import Notice, NoticeKind
from tests.access.matrix import Expect


def build(world):
    notice = Notice.objects.create(
        recipient=world.people["colleague"], kind=NoticeKind.RESULTS_PUBLISHED, title="已公示：某抽测成绩",
        url="/publications/",
    )
    world.ids["notice"] = notice.pk


EXPECTATIONS = [
    Expect("notices:list", {"*": 200}),
    Expect("notices:counts", {"*": 200}),
    Expect("notices:open", {"*": 404}, kwargs={"notice_id": "notice"}),
    Expect("notices:read_all", {"*": 302}, method="post", data={}),
    Expect("notices:preferences", {"*": 200}),
    Expect("notices:preferences", {"*": 302}, method="post", data={"email_kinds": ["results_published"], "email_mode": "digest"}),
]
