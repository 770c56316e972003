from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "spie.onboarding"
    label = "onboarding"
    verbose_name = "Mise en service"
