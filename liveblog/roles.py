"""The newsroom's groups and the permissions each holds.

Used by the data migration that creates them; later migrations extend it.
"""

# Contributors write and submit posts; an editor approves them before readers see them.
CONTRIBUTING = [
    "liveblog.view_liveblog",
    "liveblog.view_authorprofile",
    "liveblog.add_post",
    "liveblog.change_post",
    "liveblog.delete_post",
    "liveblog.view_post",
    "liveblog.add_quote",
    "liveblog.change_quote",
    "liveblog.delete_quote",
    "liveblog.view_quote",
]

POST_WRITING = [*CONTRIBUTING, "liveblog.publish_post"]

EDITING = [
    "liveblog.add_liveblog",
    "liveblog.change_liveblog",
    "liveblog.pin_post",
    "liveblog.edit_any_post",
    "liveblog.add_authorprofile",
    "liveblog.change_authorprofile",
    "liveblog.add_apitoken",
    "liveblog.change_apitoken",
    "liveblog.view_apitoken",
]

RESULTS_DESK = [
    "results.view_election",
    "results.view_party",
    "results.view_contest",
    "results.view_candidacy",
    "results.view_result",
    "results.change_result",
    "results.declare_result",
    "results.view_revision",
]

RESULTS_SETUP = [
    "results.add_election",
    "results.change_election",
    "results.add_contest",
    "results.change_contest",
    "results.add_candidacy",
    "results.change_candidacy",
    "results.delete_candidacy",
]

# The broadcasters' exit poll at the close of polls, entered by an editor.
EXIT_POLL = [
    "results.add_exitpoll",
    "results.change_exitpoll",
    "results.view_exitpoll",
    "results.add_exitpollseats",
    "results.change_exitpollseats",
    "results.delete_exitpollseats",
    "results.view_exitpollseats",
]

ROLES = {
    "Reporter": POST_WRITING,
    "Editor": POST_WRITING + EDITING + RESULTS_DESK + RESULTS_SETUP + EXIT_POLL,
    "Results desk": RESULTS_DESK,
    "Contributor": CONTRIBUTING,
}


def sync_groups(apps, roles: dict[str, list[str]]) -> None:
    """Create each group and give it the listed permissions that exist so far.

    Migrations call this with the current roles; a permission for a model a
    later migration creates is skipped here and added by that migration's own
    call. Adding a permission to a role means adding a migration that calls this.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in roles.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".")
            wanted.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)
