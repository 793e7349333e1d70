from bibliomo.directory import demo as directory_demo
from bibliomo.orders import demo
from bibliomo.orders.models import OrderCampaign


def test_demo_has_an_open_campaign_with_submitted_and_approved_orders(db):
    directory_demo.load()
    demo.load()
    demo.load()  # idempotent
    campaign = OrderCampaign.objects.get()
    assert campaign.is_open
    assert not campaign.deadline_passed
    statuses = list(campaign.orders.values_list("status", flat=True))
    assert statuses.count("approved") == 1
    assert statuses.count("submitted") == 2
    assert statuses.count("returned") == 1
    approved = campaign.orders.get(status="approved")
    assert approved.school.people.filter(username="librarian1").exists()
    assert approved.lines.filter(quantity__gt=0).exists()
    reasons = set(approved.lines.values_list("reason", flat=True))
    assert "expired" in reasons
