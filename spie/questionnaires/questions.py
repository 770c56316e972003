"""The content of each step's questionnaire, in plain French. A change of wording gets a new
`version`, recorded on every answer, so that results of different wordings are never mixed up."""

from dataclasses import dataclass

from .enums import Step

AGREEMENT = (
    (1, "Pas du tout d'accord"),
    (2, "Pas d'accord"),
    (3, "Ni d'accord ni pas d'accord"),
    (4, "D'accord"),
    (5, "Tout à fait d'accord"),
)
SATISFACTION = (
    (1, "Très mécontent·e"),
    (2, "Mécontent·e"),
    (3, "Moyennement content·e"),
    (4, "Content·e"),
    (5, "Très content·e"),
)
# Shown beside the satisfaction labels, hidden from screen readers (the text says it all).
SMILEYS = {1: "😞", 2: "🙁", 3: "😐", 4: "🙂", 5: "😀"}
COMMENT_MAX_LENGTH = 1000


@dataclass(frozen=True)
class Question:
    code: str
    text: str
    scale: tuple = AGREEMENT

    @property
    def with_smileys(self):
        return self.scale is SATISFACTION

    def choices(self):
        """`(value, label, smiley)` for each point of the scale."""
        smileys = SMILEYS if self.with_smileys else {}
        return [(value, label, smileys.get(value, "")) for value, label in self.scale]


@dataclass(frozen=True)
class Questionnaire:
    step: str
    version: int
    title: str
    intro: str
    questions: tuple

    def question(self, code):
        return next((question for question in self.questions if question.code == code), None)


QUESTIONNAIRES = {
    Step.AFTER_DIAGNOSTIC: Questionnaire(
        step=Step.AFTER_DIAGNOSTIC,
        version=1,
        title="Votre avis sur votre premier bilan",
        intro=(
            "Vous avez fait le point sur votre situation avec des professionnels. Donnez-nous votre avis en 2 minutes."
        ),
        questions=(
            Question("ecoute", "On m'a écouté·e."),
            Question("comprehension", "J'ai compris ce qui va se passer pour moi ensuite."),
            Question("priorites", "Mes priorités ont été prises en compte."),
            Question("delai", "J'ai eu ce rendez-vous assez vite."),
            Question("global", "Dans l'ensemble, ce premier bilan m'a été utile.", SATISFACTION),
        ),
    ),
    Step.AFTER_CONTRACT: Questionnaire(
        step=Step.AFTER_CONTRACT,
        version=1,
        title="Votre avis sur votre contrat d'engagement",
        intro="Vous avez signé votre contrat d'engagement. Donnez-nous votre avis en 2 minutes.",
        questions=(
            Question("choix", "J'ai choisi les actions de mon contrat avec mon conseiller ou ma conseillère."),
            Question("realiste", "Les actions prévues sont possibles pour moi."),
            Question("referent", "Je sais qui contacter si j'ai une question."),
            Question("global", "Dans l'ensemble, je suis content·e de mon accompagnement.", SATISFACTION),
        ),
    ),
    Step.EXIT: Questionnaire(
        step=Step.EXIT,
        version=1,
        title="Votre avis sur votre accompagnement",
        intro="Votre accompagnement se termine. Votre avis aide à l'améliorer pour les autres.",
        questions=(
            Question("aide", "L'accompagnement m'a aidé·e à avancer."),
            Question("respect", "J'ai été traité·e avec respect."),
            Question("coordination", "Je n'ai pas eu à répéter mon histoire à chaque professionnel."),
            Question("confiance", "J'ai plus confiance en moi qu'au début."),
            Question("global", "Dans l'ensemble, je suis content·e de mon accompagnement.", SATISFACTION),
        ),
    ),
    Step.EMPLOYMENT_M6: Questionnaire(
        step=Step.EMPLOYMENT_M6,
        version=1,
        title="Votre avis, six mois après votre reprise d'emploi",
        intro="Vous avez repris un emploi il y a six mois. Votre avis nous aide à mieux accompagner.",
        questions=(
            Question("preparation", "L'accompagnement m'a bien préparé·e à ce travail."),
            Question("soutien", "Après la reprise, j'ai été soutenu·e quand j'en avais besoin."),
            Question("stabilite", "Ma situation est plus stable qu'avant."),
            Question("global", "Dans l'ensemble, je suis content·e de mon accompagnement.", SATISFACTION),
        ),
    ),
}


def questionnaire_for(step):
    return QUESTIONNAIRES[step]
