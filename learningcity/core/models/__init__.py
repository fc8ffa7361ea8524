from .areas import Area, AreaLevel
from .audit import AuditEntry
from .cities import City
from .population import PopulationCount
from .users import ApiToken, Role, RoleAssignment, User

__all__ = [
    "ApiToken",
    "Area",
    "AreaLevel",
    "AuditEntry",
    "City",
    "PopulationCount",
    "Role",
    "RoleAssignment",
    "User",
]
