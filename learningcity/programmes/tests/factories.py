import datetime as dt

import factory

from learningcity.core.tests.factories import CityFactory
from learningcity.core.text import fold
from learningcity.programmes.models import Learner, Membership, Programme, Session


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    city = factory.SubFactory(CityFactory)
    code = factory.Sequence(lambda n: f"clb-{n:03d}")
    kind = "club"
    title_vi = factory.Sequence(lambda n: f"Câu lạc bộ văn hoá Thái {n}")
    title_en = factory.Sequence(lambda n: f"Thai cultural club {n}")
    topics = "|language|culture|"
    search_text = factory.LazyAttribute(lambda o: fold(f"{o.code} {o.title_vi}"))


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    programme = factory.SubFactory(ProgrammeFactory)
    city = factory.LazyAttribute(lambda o: o.programme.city)
    date = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=1))
    start_time = dt.time(8, 0)
    end_time = dt.time(10, 0)


class LearnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Learner

    city = factory.SubFactory(CityFactory)
    code = factory.Sequence(lambda n: f"LT{n:06d}")
    full_name = factory.Sequence(lambda n: f"Lò Thị Hoa {n}")
    search_text = factory.LazyAttribute(lambda o: fold(o.full_name))
    sex = "F"
    birth_year = 1990
    ethnicity = "03"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    programme = factory.SubFactory(ProgrammeFactory)
    learner = factory.SubFactory(LearnerFactory)
    city = factory.LazyAttribute(lambda o: o.programme.city)
    joined_on = dt.date(2024, 3, 1)
