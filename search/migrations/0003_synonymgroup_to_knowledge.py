# The thesaurus model now lives in knowledge (see knowledge 0002): forget it here,
# keep its tables.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0002_query_log_and_index_stamp'),
        ('knowledge', '0002_synonymgroup_to_knowledge'),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=[
        migrations.RemoveField(
            model_name='historicalsynonymgroup',
            name='history_user',
        ),
        migrations.DeleteModel(
            name='SynonymGroup',
        ),
        migrations.DeleteModel(
            name='HistoricalSynonymGroup',
        ),
    ])]
