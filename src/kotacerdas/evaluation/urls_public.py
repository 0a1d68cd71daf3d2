"""The evaluation's public pages: the impact survey, answered by citizens without an account."""

from django.urls import path

from kotacerdas.evaluation import survey_views

app_name = "evaluation-public"

urlpatterns = [
    path("<slug:survey_key>/", survey_views.survey_index, name="survey-index"),
    path("<slug:survey_key>/<slug:pillar>/", survey_views.survey_form, name="survey-form"),
]
