from django.db import models
from simple_history.models import HistoricalRecords


class SynonymGroup(models.Model):
    """Words that mean the same to a reader (ชุด / เครื่องแบบ); search treats a query word
    as any word of its group."""

    words = models.TextField("คำที่มีความหมายเดียวกัน", help_text="คั่นแต่ละคำด้วยเครื่องหมายจุลภาค (,)")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "กลุ่มคำพ้อง"
        verbose_name_plural = "อรรถาภิธาน (คำพ้องความหมาย)"
        ordering = ["id"]

    def __str__(self):
        return " / ".join(self.word_list())

    def word_list(self):
        return [w.strip() for w in self.words.split(",") if w.strip()]
