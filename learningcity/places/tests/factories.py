import factory

from learningcity.core.tests.factories import AreaFactory, CityFactory
from learningcity.core.text import fold
from learningcity.places import hours as hours_mod
from learningcity.places.models import LearningSpace, OpeningPeriod, SpaceType


class SpaceTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpaceType
        django_get_or_create = ("city", "code")

    city = factory.SubFactory(CityFactory)
    code = "house-of-wisdom"
    name_vi = "Ngôi nhà trí tuệ"
    name_en = "House of Wisdom"


class SpaceFactory(factory.django.DjangoModelFactory):
    """A space as the service would store it (search text and opening periods filled in)."""

    class Meta:
        model = LearningSpace
        skip_postgeneration_save = True

    city = factory.SubFactory(CityFactory)
    space_type = factory.LazyAttribute(lambda o: SpaceTypeFactory(city=o.city))
    area = factory.LazyAttribute(lambda o: AreaFactory(city=o.city))
    code = factory.Sequence(lambda n: f"S{n:05d}")
    name_vi = factory.Sequence(lambda n: f"Ngôi nhà trí tuệ số {n}")
    lat = 21.30
    lon = 103.89
    hours = "Mo-Su 08:00-20:00"
    facilities = ",books,internet,"

    @factory.post_generation
    def finish(obj, create, extracted, **kwargs):
        obj.search_text = fold(" ".join([obj.name_vi, obj.name_en, obj.code, obj.area.name_vi]))
        obj.save(update_fields=["search_text"])
        week = hours_mod.parse(obj.hours)
        OpeningPeriod.objects.bulk_create(
            OpeningPeriod(city=obj.city, space=obj, weekday=d, opens=o, closes=c)
            for d, ranges in enumerate(week)
            for o, c in ranges
        )


__all__ = ["SpaceFactory", "SpaceTypeFactory"]
