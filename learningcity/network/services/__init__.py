"""Writes of the network app, one module per subject; the public names are re-exported here."""

from .dialogue import post_create, post_hide, post_report, post_report_decide, thread_create, thread_follow
from .harvest import remote_city_add
from .networks import city_create_with_areas, cluster_create, coordinator_add, membership_add, network_create
from .partnerships import (
    partnership_create,
    partnership_document_add,
    partnership_party_add,
    partnership_record,
)
from .people import (
    invitation_accept,
    invitation_create,
    invitation_revoke,
    role_revoke,
    space_coordinators_name,
)
from .practices import (
    practice_adopt,
    practice_create,
    practice_file_add,
    practice_publish,
    practice_text_save,
)
from .sharing import indicator_share, indicator_unshare, shared_values_refresh

__all__ = [
    "city_create_with_areas",
    "cluster_create",
    "coordinator_add",
    "indicator_share",
    "indicator_unshare",
    "invitation_accept",
    "invitation_create",
    "invitation_revoke",
    "membership_add",
    "network_create",
    "partnership_create",
    "partnership_document_add",
    "partnership_party_add",
    "partnership_record",
    "post_create",
    "post_hide",
    "post_report",
    "post_report_decide",
    "practice_adopt",
    "practice_create",
    "practice_file_add",
    "practice_publish",
    "practice_text_save",
    "remote_city_add",
    "role_revoke",
    "shared_values_refresh",
    "space_coordinators_name",
    "thread_create",
    "thread_follow",
]
