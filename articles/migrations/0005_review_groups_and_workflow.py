"""Editors, Physicians and Administrators with their Wagtail permissions, and the Medical review
workflow with its physician review task. Idempotent: running it again changes nothing."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

WORKFLOW_NAME = "Medical review"
TASK_NAME = "Physician review"
ALL_PAGE_PERMISSIONS = [
    "add_page",
    "change_page",
    "publish_page",
    "bulk_delete_page",
    "lock_page",
    "unlock_page",
]
IMAGE_PERMISSIONS = ["add_image", "choose_image"]


def ensure_permissions(apps):
    # On a fresh database Django creates permissions only after all migrations; the groups need
    # them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def perms(Permission, *codenames):
    return list(Permission.objects.filter(codename__in=codenames))


def set_page_permissions(GroupPagePermission, Permission, group, page, codenames):
    GroupPagePermission.objects.filter(group=group, page=page).exclude(
        permission__codename__in=codenames
    ).delete()
    for permission in perms(Permission, *codenames):
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


def set_collection_permissions(GroupCollectionPermission, Permission, group, collection, codenames):
    for permission in perms(Permission, *codenames):
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=permission
        )


def create_groups_and_workflow(apps, schema_editor):
    ensure_permissions(apps)
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    PhysicianReviewTask = apps.get_model("articles", "PhysicianReviewTask")

    root = Page.objects.filter(depth=1).first()
    root_collection = Collection.objects.filter(depth=1).first()
    access_admin = perms(Permission, "access_admin")

    # Editors write and submit, never publish: the root page's add/edit covers every home page.
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*access_admin, *perms(Permission, "view_physician", "view_topic"))
    if root:
        set_page_permissions(GroupPagePermission, Permission, editors, root, ["add_page", "change_page"])
    if root_collection:
        set_collection_permissions(
            GroupCollectionPermission, Permission, editors, root_collection, IMAGE_PERMISSIONS
        )

    # Physicians review through the task: it opens the editor and the review actions for them,
    # so beyond admin access they need no page permission and cannot publish on their own.
    physicians, _ = Group.objects.get_or_create(name="Physicians")
    physicians.permissions.add(*access_admin, *perms(Permission, "view_physician", "view_topic"))
    if root_collection:
        set_collection_permissions(
            GroupCollectionPermission, Permission, physicians, root_collection, ["choose_image"]
        )

    # Administrators manage users, groups, workflows, settings and the whole tree.
    administrators, _ = Group.objects.get_or_create(name="Administrators")
    administrators.permissions.add(*Permission.objects.all())
    if root:
        set_page_permissions(GroupPagePermission, Permission, administrators, root, ALL_PAGE_PERMISSIONS)
    if root_collection:
        set_collection_permissions(
            GroupCollectionPermission,
            Permission,
            administrators,
            root_collection,
            [
                "add_image",
                "change_image",
                "delete_image",
                "choose_image",
                "add_document",
                "change_document",
                "delete_document",
                "choose_document",
                "add_collection",
                "change_collection",
                "delete_collection",
            ],
        )

    task_type, _ = ContentType.objects.get_or_create(app_label="articles", model="physicianreviewtask")
    task = PhysicianReviewTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = PhysicianReviewTask.objects.create(name=TASK_NAME, content_type=task_type, active=True)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    index_type = ContentType.objects.filter(app_label="articles", model="articleindexpage").first()
    if index_type:
        for index in Page.objects.filter(content_type=index_type):
            WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": workflow})


def remove_workflow(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    PhysicianReviewTask = apps.get_model("articles", "PhysicianReviewTask")
    Group = apps.get_model("auth", "Group")
    Workflow.objects.filter(name=WORKFLOW_NAME).delete()
    PhysicianReviewTask.objects.filter(name=TASK_NAME).delete()
    Group.objects.filter(name__in=["Physicians"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_physician_review_task"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0006_formstate"),
        ("home", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups_and_workflow, remove_workflow)]
