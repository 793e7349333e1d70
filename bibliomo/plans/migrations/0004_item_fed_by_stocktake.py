from django.db import migrations, models

CHOICES = [
    ("informing", "Новости о вебинарах и конкурсах и рассылки о них"),
    ("documents", "Рассылки об официальных документах"),
    ("partnership", "Совместные мероприятия с партнёрами"),
    ("stocktake", "Ход инвентаризации учебного фонда и консультации по ней"),
]
HELP = "Какие записи системы засчитываются как выполнение пункта."


# Until this migration the stocktake found its plan items by the word «инвентаризац» in
# their text (top-level items only); those items keep being fed, now by the head's choice.
def link_by_former_wording(apps, schema_editor):
    PlanItem = apps.get_model("plans", "PlanItem")
    PlanItem.objects.filter(
        fed_by="", parent__isnull=True, content__icontains="нвентаризац"
    ).update(fed_by="stocktake")


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0003_item_fed_by"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalplanitem",
            name="fed_by",
            field=models.CharField(
                blank=True, choices=CHOICES, help_text=HELP, max_length=20,
                verbose_name="выполнение отмечается само",
            ),
        ),
        migrations.AlterField(
            model_name="planitem",
            name="fed_by",
            field=models.CharField(
                blank=True, choices=CHOICES, help_text=HELP, max_length=20,
                verbose_name="выполнение отмечается само",
            ),
        ),
        migrations.RunPython(link_by_former_wording, migrations.RunPython.noop),
    ]
