# The thesaurus is content that editors keep beside the glossary: its model moves from
# search to knowledge. Only Django's record moves here; the tables stay (then take
# knowledge's names in the next migration).

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('knowledge', '0001_initial'),
        ('search', '0002_query_log_and_index_stamp'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=[
        migrations.CreateModel(
            name='SynonymGroup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('words', models.TextField(help_text='คั่นแต่ละคำด้วยเครื่องหมายจุลภาค (,)', verbose_name='คำที่มีความหมายเดียวกัน')),
            ],
            options={
                'verbose_name': 'กลุ่มคำพ้อง',
                'verbose_name_plural': 'อรรถาภิธาน (คำพ้องความหมาย)',
                'db_table': 'search_synonymgroup',
                'ordering': ['id'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalSynonymGroup',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('words', models.TextField(help_text='คั่นแต่ละคำด้วยเครื่องหมายจุลภาค (,)', verbose_name='คำที่มีความหมายเดียวกัน')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical กลุ่มคำพ้อง',
                'verbose_name_plural': 'historical อรรถาภิธาน (คำพ้องความหมาย)',
                'db_table': 'search_historicalsynonymgroup',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
    ])]
