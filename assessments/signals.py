"""Keep the question bank consistent when the knowledge it tests is removed."""
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from knowledge.models import Item, ReportField

from .models import Question


@receiver(pre_delete, sender=Item)
@receiver(pre_delete, sender=ReportField)
def retire_questions_of_removed_knowledge(sender, instance, **kwargs):
    """A question about something no longer in the knowledge base cannot stay published."""
    lookup = {"item": instance} if sender is Item else {"field": instance}
    questions = Question.objects.filter(**lookup, status=Question.PUBLISHED)
    keys = list(questions.values_list("key", flat=True))
    if keys:
        questions.update(status=Question.DRAFT)
        from accounts.models import audit

        audit("questions.retired", target=instance,
              message=f"ลบ '{instance}' ออกจากคลังความรู้ คำถามที่ทดสอบเรื่องนี้จึงกลับเป็นฉบับร่าง: {', '.join(keys)}",
              questions=keys)
