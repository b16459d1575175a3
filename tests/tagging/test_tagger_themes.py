"""Per-theme tables: French sentences that must and must not be tagged with each theme.

Sentences are written in the style of 2026 municipal programmes (bullets, « nous … »,
figures) and include the false friends of each theme. They run on the real French model.
"""

from __future__ import annotations

import pytest
from factories import CODEBOOK

from analysis.codebook import load_codebook

pytestmark = pytest.mark.slow


# theme id -> (sentences that must carry the theme, sentences that must not)
CASES: dict[str, tuple[list[str], list[str]]] = {
    "partenariat_associatif": (
        [
            "Sans nos associations, notre village serait moins solidaire.",
            "Nous augmenterons de 10 % l'enveloppe des subventions aux associations de solidarité.",
            "• Mettre à disposition des associations des locaux municipaux à titre gratuit.",
            "Une maison de la vie associative ouvrira ses portes en centre-ville.",
            "Nous signerons des conventions pluriannuelles avec les acteurs associatifs.",
            "Un budget dédié aux projets associatifs des quartiers.",
        ],
        [
            "Les condamnés effectueront des travaux d'intérêt général au profit des associations "
            'de la commune.',
            "Nous soutiendrons l'association des commerçants pour les illuminations.",
            "En association avec la Région, nous rénoverons la gare routière.",
            "Les ateliers de français seront animés par une association du quartier.",
        ],
    ),
    "vie_democratique": (
        [
            "Nous vous tiendrons informés de l'avancement des décisions du conseil.",
            "Une révision citoyenne du plan local d'urbanisme.",
            'Chaque année, nous viendrons vous rendre des comptes sur le budget.',
            "Une commission communale de l'accessibilité réunira élus et habitants.",
            "Le RICL permettra aux habitantes et aux habitants de modifier ou d'abroger une "
            'décision du conseil.',
            "Le maire publiera chaque année ses indemnités et rémunérations devant les habitants.",
            "Partager les décisions avec les habitants, quartier par quartier.",
            "Un dialogue régulier entre les administrés et les élus.",
            "Nous présenterons chaque année en réunion publique le bilan de notre mandat.",
            "Que la parole citoyenne soit enfin entendue en mairie.",
            "Une votation sera organisée sur le projet de tramway.",
            "Une commission extra-municipale associera élus et riverains.",
            "Nous créerons des conseils de quartier dotés d'un budget propre.",
            # registering residents to vote, surveying them, users in an observatory
            "Une campagne d'inscription sur les listes électorales chaque année.",
            "Nous créerons un observatoire des services publics réunissant usagers et agents.",
            "Une grande enquête citoyenne sur la satisfaction envers la municipalité.",
            "• Consacrer 5 % du budget d'investissement au budget participatif.",
            "Les habitants seront consultés par référendum local sur le projet de tramway.",
            "Un droit d'interpellation citoyenne permettra de saisir le conseil municipal.",
            "Centralisation sur le site de la mairie des comptes-rendus et des budgets.",
            "Chaque quartier co-conçoit son aménagement avec les habitants.",
            # the city's channels of information to residents (rule 4)
            "Relancer le bulletin municipal pour informer chaque foyer.",
            "Une lettre d'information et une page Facebook de la mairie.",
            "Construire des décisions mieux partagées.",
        ],
        [
            'Plateformes multimodales : des points où les citoyens pourront laisser leur voiture '
            'et prendre le bus.',
            "Réaménager le quartier de la gare sans passer par des zones d'aménagement concertées.",
            "Ce programme est le fruit des échanges que nous avons eus ces derniers mois dans les "
            "réunions publiques et les ateliers participatifs.",
            "Nous étendrons le dispositif Participation citoyenne avec la gendarmerie dans chaque "
            "hameau.",
            "Une complémentaire santé communale, sans participation financière des habitants.",
            "La ville devra aussi investir dans des bornes de recharge pour les habitants.",
            "La zone à faibles émissions sera concertée avec les artisans.",
            "Le stationnement sera gratuit le samedi dans le centre historique.",
            "Nous développerons un jardin participatif au pied des immeubles.",
            "Nous travaillerons en concertation avec les associations de solidarité.",
            "Ce programme est le résultat d'une large concertation avec les habitants.",
            # consulting businesses or associations is no voice for residents (rule 4);
            # transparent grants are equal treatment of associations (rule 5)
            "Travailler avec les entreprises locales en les consultant sur les projets envisagés.",
            "Consultation du tissu associatif sur les grands projets de la commune.",
            "Transparence du financement associatif : des critères d'attribution publics.",
        ],
    ),
    "lien_social": (
        [
            "Un programme d'animations pour redynamiser la vie des quartiers.",
            "Une politique municipale tournée vers la cohésion sociale.",
            "Décloisonner les quartiers par des événements communs.",
            "Développer la médiation dans les quartiers.",
            "Une grande fête annuelle pour rassembler les quartiers de la ville.",
            "Un café des habitants ouvrira dans chaque cité.",
            "Nous rouvrirons le centre social de la Pinède, fermé depuis trois ans.",
            "• Organiser une grande fête de quartier chaque été.",
            "Des ateliers intergénérationnels réuniront écoliers et résidents de l'Ehpad.",
            "Une résidence intergénérationnelle où étudiants et aînés partagent les lieux.",
            "Nous voulons renforcer le lien social et le vivre-ensemble dans nos quartiers.",
            # festivities that bring residents together, in the words of small communes
            "Nous relancerons les fêtes villageoises dès le premier été du mandat.",
            "Des temps festifs communaux tout au long de l'année.",
            "Organiser des événements festifs et rassembleurs dans chaque hameau.",
            "Des festivités pour tous dans chacun de nos quartiers.",
            "Multiplier les moments fédérateurs au fil des saisons.",
        ],
        [
            "La police municipale assurera une présence de terrain au service de la cohésion "
            "sociale.",
            'Nous portons un projet intergénérationnel pour tout le village.',
            'Favoriser la rencontre des élus avec les habitants une fois par an dans chaque '
            'quartier.',
            "Deux caméras de vidéoprotection sur le parking du centre social.",
            "Des protections périodiques seront données dans les centres sociaux et les collèges.",
            "Le centre-ville accueillera un nouveau marché de producteurs le dimanche.",
            # an « intergenerational » facility names its users, not an action that brings
            # the generations together
            "La création d'un complexe sportif intergénérationnel avec city park et pétanque.",
            "Un écoquartier avec logements intergénérationnels près de l'école.",
            # every age named as the audience of a service is no action between generations
            "Répondre aux besoins de toutes les générations.",
            "Faire de la commune un lieu de vie agréable pour toutes les générations.",
            "Rénovation de la toiture de la salle des fêtes.",
        ],
    ),
    "engagement_citoyen": (
        [
            "Une plateforme aidera ceux qui veulent donner de leur temps.",
            "Nous accueillerons 50 jeunes en service civique chaque année à la mairie.",
            "• Créer une plateforme pour encourager le bénévolat dans les associations.",
            "Une soirée annuelle mettra à l'honneur les bénévoles de la commune.",
            "Une réserve citoyenne sera créée pour aider lors des inondations.",
            "Pérenniser les jobs citoyens proposés chaque été aux adolescents.",
            "Une bourse aux projets pour les 15-18 ans.",
            # a civic body the second opinion never saw does not veto the rules
            "Signer des conventions avec les employeurs pour libérer les sapeurs-pompiers "
            "volontaires.",
            # places run by the young, volunteers recognised, citizen clean-ups
            "Un foyer géré par et pour les jeunes du quartier.",
            "Nos bénévoles sont la richesse du village : nous serons à leurs côtés.",
            "Encourager l'engagement solidaire des habitants.",
            "Participer chaque printemps à l'opération « Nettoyons la nature ».",
        ],
        [
            "Plantation de haies chez les agriculteurs, sur la base du volontariat.",
            "Les ateliers d'informatique seront animés par des bénévoles formés.",
            "Nous engagerons la rénovation thermique des écoles dès 2027.",
        ],
    ),
    "accompagnement_social": (
        [
            'Augmenter les effectifs des éducateurs spécialisés et des médiateurs de rue dans les '
            'quartiers.',
            "Les travailleurs sociaux feront de l'aller vers dans les quartiers.",
            "Nous renforcerons les moyens du CCAS pour accompagner les familles en difficulté.",
            "• Recruter cinq travailleurs sociaux de plus pour réduire l'attente au guichet.",
            "Chaque personne accueillie bénéficiera d'un accompagnement social personnalisé.",
            "Nous réaliserons une analyse des besoins sociaux dès la première année du mandat.",
            "Une maison des services pour l'accompagnement administratif et social des habitants.",
            # carers and staying at home, in the words of small communes
            "Soutenir les aidants : des solutions de répit et un relais à domicile.",
            "Coordonner les services pour que nos aînés puissent rester chez eux le plus "
            "longtemps possible.",
            "Soutenir les aidants : parce que s'occuper d'un proche épuise, nous créerons des "
            "solutions de répit et un relais à domicile.",
        ],
        [
            "Les aides municipales aux entreprises seront revues.",
            "Des agents du CCAS appelleront chaque semaine les aînés qui le souhaitent.",
            "L'aide d'urgence du CCAS sera versée en 48 heures.",
            "Nous baisserons la taxe foncière sur les résidences secondaires.",
            # coaching entrepreneurs is economic development
            "Sélection et suivi individualisé des créateurs d'entreprise.",
        ],
    ),
    "soutien_scolaire": (
        [
            "• Un coup de pouce lecture pour les élèves en difficulté.",
            "Nous développerons l'aide aux devoirs gratuite dans toutes les maisons de quartier.",
            "• Lutter contre le décrochage scolaire grâce à des médiateurs dans les collèges.",
            "Les accueils périscolaires seront gratuits pour les familles au quotient le plus bas.",
            "Un contrat local d'accompagnement à la scolarité sera ouvert dans chaque quartier.",
            # a holiday centre the second opinion doubts is still a holiday centre
            "L'accès aux centres aérés aux mêmes conditions pour toutes les familles.",
            "Familles : l'accès de nos enfants aux centres aérés dans les mêmes conditions pour "
            "tous, et une réflexion sur une maison d'assistantes maternelles.",
        ],
        [
            "Nous rénoverons le groupe scolaire Anatole-France et sa cour de récréation.",
            "La cantine scolaire proposera 50 % de produits bio et locaux.",
            # school buildings are works, not after-school care
            "Modernisation des bâtiments scolaires et périscolaires.",
        ],
    ),
    "apprentissage_francais": (
        [
            "Nous financerons des cours de français langue étrangère pour les parents d'élèves.",
            "• Ouvrir des ateliers sociolinguistiques dans les centres sociaux.",
            "La laïcité sera enseignée et défendue dans tous les équipements municipaux.",
            "Nous lutterons contre l'illettrisme avec des cours d'alphabétisation pour adultes.",
        ],
        [
            "Le festival de la chanson française aura lieu chaque année en juin.",
            "Nous développerons l'apprentissage et l'alternance avec les entreprises locales.",
            # laïcité applied by the council itself or shown as firmness teaches nobody
            "Respect du principe de laïcité dans l'action de la collectivité.",
            "Nous serons fermes sur la laïcité.",
        ],
    ),
    "acces_droits": (
        [
            "Des permanences de la CAF seront assurées chaque mardi à la mairie annexe.",
            "Une permanence gratuite d'avocats conseillera les familles.",
            "Une maison France services ouvrira dans chaque mairie annexe.",
            "• Lutter contre le non-recours avec des permanences d'accès aux droits.",
            "Nous proposerons une domiciliation administrative aux personnes sans adresse stable.",
            "Un écrivain public aidera les habitants dans leurs démarches administratives.",
            "Une permanence en mairie pour les démarches administratives des personnes en "
            "difficulté.",
            "Un simulateur en ligne dira à chaque foyer les aides sociales auxquelles il a droit.",
        ],
        [
            "Un accompagnement administratif pour l'implantation de nouveaux commerces.",
            "Une mutuelle communale pour lutter contre le non-recours aux soins.",
            # simplifying every resident's procedures is a general public service (rule 1)
            "Simplification des démarches administratives.",
            "Un guichet unique de la mairie centralisera toutes les démarches des habitants.",
            # the benefits themselves are no access to them
            "Renforcer les aides sociales de la commune.",
            "Aucune démarche ne sera uniquement en ligne : un formulaire papier restera possible.",
            "Nous créerons un guichet unique pour les entreprises qui veulent s'implanter.",
            "Le droit de préemption sera utilisé pour protéger les commerces de proximité.",
        ],
    ),
    "inclusion_numerique": (
        [
            'Toutes les démarches en ligne de la mairie seront 100 % accessibles.',
            "Mairie 100 % en ligne : fermeture des guichets des mairies annexes.",
            "Nous prêterons des tablettes et formerons les seniors à s'en servir.",
            "Nous recruterons des conseillers numériques pour réduire la fracture numérique.",
            "• Maintenir un accueil physique dans toutes les mairies face à la dématérialisation.",
            "Des ateliers numériques gratuits seront proposés aux seniors dans les médiathèques.",
            "Nous lutterons contre l'illectronisme avec des médiateurs numériques itinérants.",
            "Un fonds municipal pour l'achat de matériel informatique par les lycéens.",
            # territorial digital divide: coverage is the access itself
            "Améliorer la couverture numérique de la commune.",
            "Développer la connectivité numérique du territoire.",
        ],
        [
            "Nous déploierons la fibre optique et la 5G dans toutes les zones d'activité.",
            "Une application mobile permettra de payer le stationnement en ligne.",
        ],
    ),
    "acces_emploi": (
        [
            "Nous porterons la candidature de la commune au dispositif Territoire zéro chômeur.",
            "• Généraliser les clauses sociales d'insertion dans les marchés publics de la ville.",
            "Un chantier d'insertion sera créé pour l'entretien des espaces verts.",
            "Nous financerons le permis de conduire des jeunes suivis par la mission locale.",
        ],
        [
            "Nous créerons une zone d'activités pour attirer les entreprises du numérique.",
            "Le nouvel emploi du temps scolaire libérera le mercredi après-midi.",
            "De nouvelles pistes cyclables vers le bassin d'emploi de la vallée.",
            "Un incubateur de start-up avec formation et mentorat des fondateurs.",
        ],
    ),
    "acces_sport": (
        [
            "Nous construirons un boulodrome couvert près de l'école.",
            "Créer un dojo pour les clubs d'arts martiaux du canton.",
            "Les nouveaux parcs accueilleront un terrain de sport en accès libre.",
            "Un skatepark sera aménagé près du collège.",
            "Davantage de clubs de sport dans nos quartiers.",
            "Nous doterons l'école Jean-Moulin d'un gymnase de proximité.",
            "Tarif réduit à la piscine pour les familles modestes.",
            "Tous les enfants des quartiers prioritaires apprendront à nager gratuitement.",
            "Des agrès de sport en accès libre seront installés dans chaque parc.",
            "Nous créerons un Pass'Sport de 100 € pour les enfants des familles modestes.",
            "• Installer un city-stade en accès libre dans chaque quartier.",
            "La piscine sera gratuite pour les bénéficiaires des minima sociaux.",
            "Nous développerons le sport féminin et le handisport dans les clubs de quartier.",
        ],
        [
            'Nous rénoverons le gymnase des Tilleuls pour réduire sa facture de chauffage.',
            "Nous ne mettrons pas les gymnases à disposition pour l'hébergement des sans-abri.",
            "Le grand ménage de printemps réunira les clubs sportifs dans chaque quartier.",
            "Le stade sera rénové pour accueillir des compétitions internationales.",
            "Nous soutiendrons le club de rugby professionnel de la ville.",
        ],
    ),
    "aide_alimentaire": (
        [
            "Colis alimentaires pour les familles modestes.",
            "Une épicerie à petits prix ouvrira dans le quartier nord.",
            "Nous ouvrirons une deuxième épicerie solidaire dans les quartiers nord.",
            "• Soutenir la Banque alimentaire et les Restos du cœur avec un entrepôt municipal.",
            "La tarification sociale de la cantine sera étendue aux familles modestes.",
            "Nous lutterons contre la précarité alimentaire avec des paniers solidaires.",
        ],
        [
            "La cuisine centrale servira des repas 100 % bio dans toutes les cantines.",
            "Nous créerons un marché de producteurs locaux place de la Mairie.",
            "Un conseil juridique aidera les parents séparés à fixer la pension alimentaire.",
            # food guaranteed to every resident is a general service (rule 1)
            "Sécurité sociale alimentaire : un système garantissant l'accès de tous à une "
            "alimentation de qualité.",
        ],
    ),
    "aide_materielle": (
        [
            "Le CCAS complétera les ressources des foyers jusqu'au seuil de pauvreté.",
            "Une allocation communale pour les retraités aux faibles revenus.",
            "Des chèques solidaires de 40 € à dépenser chez les commerçants de la commune pour "
            "les familles modestes.",
            "Une aide municipale pour les jeunes sous le seuil de pauvreté.",
            "Des bons d'achat seront attribués aux familles en difficulté.",
            "Un vestiaire solidaire sera installé dans les locaux de l'ancienne poste.",
            "• Créer une ressourcerie qui donnera des meubles aux familles relogées.",
            "Des aides financières d'urgence seront versées aux ménages en difficulté.",
            "Nous distribuerons des kits de première nécessité aux familles sinistrées.",
        ],
        [
            "Les aides municipales aux entreprises seront revues.",
            "Une aide financière sera accordée aux commerçants touchés par les travaux.",
            "Le mobilier urbain du centre-ville sera entièrement renouvelé.",
        ],
    ),
    "hebergement_urgence": (
        [
            "Le foyer d'urgence de la gare verra sa capacité doubler.",
            "Un appartement relais permettra d'accueillir en urgence les familles.",
            "Nous créerons 100 places d'hébergement d'urgence supplémentaires.",
            "• Ouvrir un accueil de nuit pendant toute la période du plan grand froid.",
            "La ville financera des mises à l'abri à l'hôtel pour les familles à la rue.",
            "Nous soutiendrons le SIAO et le 115 pour que chaque appel trouve une réponse.",
        ],
        [
            "Réfection de la chaussée de l'avenue qui dessert le centre d'hébergement d'urgence.",
            "Le centre d'hébergement touristique du lac sera rénové.",
            "Nous mettrons en place un plan vélo ambitieux.",
            "Un centre d'accueil pour demandeurs d'asile ouvrira dans la commune.",
        ],
    ),
    "logement_social": (
        [
            "Répondre aux besoins en logements abordables pour les jeunes ménages.",
            "Nous construirons 300 logements sociaux par an pour respecter la loi SRU.",
            "• Rénover les logements HLM dégradés du quartier avec les bailleurs sociaux.",
            "La commission d'attribution des logements sociaux sera rendue transparente.",
            "Nous produirons des logements très sociaux pour les ménages les plus modestes.",
            "Nous voulons des logements accessibles pour les jeunes ménages.",
        ],
        [
            "Nous faciliterons l'accès à la propriété avec des logements intermédiaires.",
            "Les meublés de tourisme seront mieux encadrés pour libérer des logements.",
            "Le permis de construire de la résidence de standing a été accordé.",
            "Des logements accessibles aux personnes à mobilité réduite dans la résidence.",
        ],
    ),
    "violences_femmes": (
        [
            "Les femmes qui fuient un conjoint violent seront mises à l'abri.",
            "Nous ouvrirons une maison des femmes pour accueillir les victimes de violences.",
            "• Former les policiers municipaux à l'accueil des femmes victimes de violences.",
            "Un logement sera réservé aux femmes fuyant les violences intrafamiliales.",
            "Nous lutterons contre le harcèlement de rue avec des marches exploratoires.",
        ],
        [
            "Les violences urbaines ont augmenté de 10 % dans le centre-ville.",
            "Nous créerons un tournoi de football féminin.",
        ],
    ),
    "meres_isolees": (
        [
            "Les mamans solos auront une aide à la garde le soir.",
            "Les familles monoparentales bénéficieront d'une place prioritaire en crèche.",
            "• Créer un réseau d'entraide pour les mères isolées.",
            "Nous aiderons les parents solos à concilier travail et vie de famille.",
        ],
        [
            "Les personnes âgées isolées recevront une visite chaque semaine.",
            "Nous agrandirons la crèche municipale de 20 berceaux.",
        ],
    ),
    "enfance": (
        [
            "Nous renforcerons la protection de l'enfance en lien avec le Département.",
            "• Créer un observatoire de la pauvreté des enfants.",
            "Aucun enfant ne doit dormir à la rue dans notre ville.",
            "La ville adhérera au réseau Ville amie des enfants de l'UNICEF.",
            "Harcèlement scolaire : une cellule d'écoute et un numéro d'alerte pour les élèves.",
            "Harcèlement scolaire : tolérance zéro. Un dispositif d'alerte municipal avec un "
            "référent et un numéro d'urgence pour les élèves.",
        ],
        [
            "Nous rénoverons la cour d'école et installerons des jeux pour les enfants.",
            "Un Pass'Sport de 50 € par enfant sera créé pour les familles modestes.",
        ],
    ),
    "etudiants": (
        [
            "Nous ouvrirons une épicerie solidaire pour les étudiants précaires.",
            "• Construire 500 logements étudiants à loyer modéré près des facultés.",
            "Les étudiants boursiers auront accès au restaurant municipal pour 1 €.",
        ],
        [
            "Nous garantirons une offre de soins en étudiant toutes les pistes.",
            "Nous ferons d'Aix une ville étudiante attractive pour les grandes écoles.",
            "La navette relie le campus à la gare en dix minutes.",
        ],
    ),
    "sans_abri": (
        [
            "Un lieu d'accueil en journée pour les personnes en grande exclusion.",
            "Aucune famille ne passera la nuit dehors cet hiver.",
            "Nous offrirons un toit pour chacun, dès cet hiver.",
            "Des places pour les personnes sans solution de logement seront ouvertes.",
            "Nous doublerons les maraudes sociales en hiver comme en été.",
            "• Ouvrir un accueil de jour avec bagagerie pour les personnes sans domicile.",
            "Nous mettrons en œuvre le Logement d'abord pour que les sans-abri quittent la rue.",
            "Nous refuserons tout arrêté anti-mendicité.",
        ],
        [
            "La rue principale sera piétonnisée et végétalisée.",
            "Nous installerons des bancs et des fontaines dans les squares.",
        ],
    ),
    "acces_soins": (
        [
            "Ouverture d'une antenne municipale de santé dans le quartier nord.",
            "Une infirmière passera chaque semaine dans les hameaux.",
            "Nous créerons un centre de santé municipal avec des médecins salariés.",
            "• Lutter contre les déserts médicaux en aidant l'installation de jeunes médecins.",
            "Une mutuelle communale permettra aux habitants modestes de se soigner.",
            "Nous ouvrirons un lieu d'accueil en santé mentale pour les jeunes.",
            "Renforcer l'attractivité médicale de la commune.",
        ],
        [
            "Vingt places de stationnement devant la maison de santé, saturées le matin.",
            "Des patrouilles renforcées aux abords de l'hôpital la nuit.",
            "Le lycée généraliste du centre-ville sera agrandi.",
            "Le parking de l'hôpital sera agrandi de 200 places.",
            "Un minibus conduira les aînés au marché et chez le médecin.",
            # care for the council's own staff is no care supply for residents (rule 3)
            "Un psychologue sera à la disposition des agents de la police municipale.",
        ],
    ),
    "hygiene": (
        [
            "Les personnes à la rue pourront laver leur linge gratuitement.",
            "Nous rouvrirons les bains-douches municipaux avec des horaires élargis.",
            "• Installer des toilettes publiques gratuites dans tous les parcs.",
            "Des protections périodiques gratuites contre la précarité menstruelle.",
            "Une laverie solidaire ouvrira à côté de l'accueil de jour.",
        ],
        [
            "Pendant la crise sanitaire, les services ont été réorganisés.",
            "Le plan de propreté prévoit un nettoyage quotidien des rues.",
        ],
    ),
    "personnes_isolees": (
        [
            "Nos agents iront vers les habitants les plus isolés du bourg.",
            "Un numéro vert permettra aux aînés de parler à quelqu'un chaque jour.",
            "Nous lutterons contre l'isolement des personnes âgées avec des visites à domicile.",
            "• Créer un registre des personnes vulnérables appelées lors des canicules.",
            "Un service de portage de repas sera proposé aux seniors isolés.",
        ],
        [
            "Les familles monoparentales et les mères isolées recevront une aide.",
            "Ce n'est pas un cas isolé : les incivilités se multiplient.",
            "Renforcer le plan canicule et créer des îlots de fraîcheur.",
        ],
    ),
    "personnes_migrantes": (
        [
            "Les jeunes étrangers isolés seront accompagnés jusqu'à leur majorité.",
            "Nous ferons de la ville une ville accueillante pour les personnes exilées.",
            "• Soutenir les associations qui accompagnent les demandeurs d'asile.",
            "Nous refuserons l'installation d'un centre pour migrants.",
            "La priorité nationale s'appliquera aux aides municipales.",
        ],
        [
            "Le point d'accueil de jour sera déplacé en zone industrielle.",
            "Les aides de la Ville iront en priorité aux commerces de proximité.",
            "Nos produits s'exportent à l'étranger grâce au port.",
            "Nous organiserons une journée d'accueil des nouveaux arrivants dans la commune.",
        ],
    ),
    "ecoute_dignite": (
        [
            "Un point écoute pour les jeunes au centre-ville.",
            "Chaque personne sera accueillie avec dignité, sans condition.",
            "• Ouvrir des points d'écoute anonymes et gratuits dans les quartiers.",
            "Nous garantirons un accueil inconditionnel dans tous les lieux d'accueil social.",
            "Nous refuserons les arrêtés anti-mendicité qui stigmatisent les plus pauvres.",
            "Un point d'accueil et d'écoute pour les adolescents, anonyme et gratuit.",
        ],
        [
            "Nous serons à l'écoute des commerçants pendant les travaux.",
            "L'accueil de la mairie sera ouvert le samedi matin.",
        ],
    ),
}

MUST = [(tid, s) for tid, (must, _) in CASES.items() for s in must]
MUST_NOT = [(tid, s) for tid, (_, must_not) in CASES.items() for s in must_not]


def _themes(tagger, sentence: str) -> dict[str, dict]:
    return {t["id"]: t for t in tagger.tag_text(sentence)}


def test_every_theme_has_a_table():
    codebook = load_codebook(CODEBOOK)
    assert set(CASES) == set(codebook.theme_ids)
    for tid, (must, must_not) in CASES.items():
        assert len(must) >= 3 and len(must_not) >= 2, tid


@pytest.mark.parametrize(("theme_id", "sentence"), MUST, ids=[f"{t}+{i}" for i, (t, _) in
                                                              enumerate(MUST)])
def test_sentence_carries_theme(tagger, theme_id, sentence):
    found = _themes(tagger, sentence)
    assert theme_id in found, f"{theme_id} absent; found {found}"
    assert found[theme_id]["evidence"], "evidence must name the matched words"


@pytest.mark.parametrize(("theme_id", "sentence"), MUST_NOT, ids=[f"{t}-{i}" for i, (t, _) in
                                                                  enumerate(MUST_NOT)])
def test_sentence_does_not_carry_theme(tagger, theme_id, sentence):
    found = _themes(tagger, sentence)
    assert theme_id not in found, f"{theme_id} wrongly found: {found[theme_id]}"
