# Lists, filters and followed tags (timelines/models_curation.py), and the full-text index
# that status search uses on PostgreSQL.

import django.db.models.deletion
import django.utils.timezone
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations, models
from django.db.models import F, TextField, Value
from django.db.models.functions import Coalesce, NullIf

import fediverse.ids

SEARCH_INDEX = "status_text_search"


def search_index() -> GinIndex:
    # Must stay the same expression as timelines.services.search.status_vector().
    text = NullIf(F("text"), Value(""), output_field=TextField())
    document = Coalesce(text, F("content"), output_field=TextField())
    return GinIndex(SearchVector(document, "spoiler_text", config="simple"), name=SEARCH_INDEX)


def add_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("timelines", "Status"), search_index())


def remove_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("timelines", "Status"), search_index())


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_accountdomainblock_accountnote_accountpin_and_more'),
        ('timelines', '0004_polls_edits_scheduled_mutes'),
    ]

    operations = [
        migrations.CreateModel(
            name='Filter',
            fields=[
                ('id', models.BigIntegerField(default=fediverse.ids.generate_snowflake, editable=False, primary_key=True, serialize=False)),
                ('title', models.CharField(max_length=256)),
                ('context', models.JSONField(default=list)),
                ('filter_action', models.CharField(choices=[('warn', 'Warn'), ('hide', 'Hide'), ('blur', 'Blur')], default='warn', max_length=8)),
                ('expires_at', models.DateTimeField(blank=True, null=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='filters', to='accounts.account')),
            ],
        ),
        migrations.CreateModel(
            name='FilterKeyword',
            fields=[
                ('id', models.BigIntegerField(default=fediverse.ids.generate_snowflake, editable=False, primary_key=True, serialize=False)),
                ('keyword', models.CharField(max_length=512)),
                ('whole_word', models.BooleanField(default=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('filter', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='keywords', to='timelines.filter')),
            ],
        ),
        migrations.CreateModel(
            name='List',
            fields=[
                ('id', models.BigIntegerField(default=fediverse.ids.generate_snowflake, editable=False, primary_key=True, serialize=False)),
                ('title', models.CharField(max_length=256)),
                ('replies_policy', models.CharField(choices=[('followed', 'Replies to any followed user'), ('list', 'Replies to members of the list'), ('none', 'No replies')], default='list', max_length=16)),
                ('exclusive', models.BooleanField(default=False)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='lists', to='accounts.account')),
            ],
        ),
        migrations.CreateModel(
            name='FilterStatus',
            fields=[
                ('id', models.BigIntegerField(default=fediverse.ids.generate_snowflake, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('filter', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='statuses', to='timelines.filter')),
                ('status', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='timelines.status')),
            ],
            options={
                'verbose_name_plural': 'filter statuses',
                'constraints': [models.UniqueConstraint(fields=('filter', 'status'), name='filter_status_unique')],
            },
        ),
        migrations.CreateModel(
            name='ListAccount',
            fields=[
                ('id', models.BigIntegerField(default=fediverse.ids.generate_snowflake, editable=False, primary_key=True, serialize=False)),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.account')),
                ('follow', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.follow')),
                ('list', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='timelines.list')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('list', 'account'), name='list_account_unique')],
            },
        ),
        migrations.CreateModel(
            name='TagFollow',
            fields=[
                ('id', models.BigIntegerField(default=fediverse.ids.generate_snowflake, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tag_follows', to='accounts.account')),
                ('tag', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='follows', to='timelines.tag')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('account', 'tag'), name='tag_follow_unique')],
            },
        ),
        migrations.RunPython(add_search_index, remove_search_index),
    ]
