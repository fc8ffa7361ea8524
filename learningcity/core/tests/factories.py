import factory

from learningcity.core.models import Area, AreaLevel, City, Role, RoleAssignment, User
from learningcity.core.text import fold

PASSWORD = "correct-horse-battery-9"


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"city-{n}")
    name_vi = factory.Sequence(lambda n: f"Thành phố {n}")
    name_en = factory.Sequence(lambda n: f"City {n}")
    bounds = factory.LazyFunction(lambda: [20.55, 103.15, 22.05, 105.15])  # a list of its own per city


class AreaFactory(factory.django.DjangoModelFactory):
    """An area with its path set (as the area service would)."""

    class Meta:
        model = Area
        skip_postgeneration_save = True

    city = factory.SubFactory(CityFactory)
    code = factory.Sequence(lambda n: f"A{n:05d}")
    level = AreaLevel.WARD
    name_vi = factory.Sequence(lambda n: f"Phường {n}")
    search_text = factory.LazyAttribute(lambda o: fold(o.name_vi))
    lat = 21.3
    lon = 103.9

    @factory.post_generation
    def set_path(obj, create, extracted, **kwargs):
        parent_path = obj.parent.path if obj.parent_id else "/"
        obj.path = f"{parent_path}{obj.pk}/"
        obj.depth = parent_path.count("/") - 1
        obj.save(update_fields=["path", "depth"])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Người dùng {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def user_with_role(city: City, role: str, area: Area | None = None, **kwargs) -> User:
    user = UserFactory(**kwargs)
    RoleAssignment.objects.create(user=user, city=city, role=role, area=area)
    return user


__all__ = ["PASSWORD", "AreaFactory", "CityFactory", "Role", "UserFactory", "user_with_role"]
