from .areas import Area, AreaLevel
from .audit import AuditEntry
from .changes import ChangeStamp
from .cities import City
from .population import PopulationCount
from .ratelimit import RateLimitCounter
from .users import ApiToken, Role, RoleAssignment, TokenScope, User

__all__ = [
    "ApiToken",
    "Area",
    "AreaLevel",
    "AuditEntry",
    "ChangeStamp",
    "City",
    "PopulationCount",
    "RateLimitCounter",
    "Role",
    "RoleAssignment",
    "TokenScope",
    "User",
]
