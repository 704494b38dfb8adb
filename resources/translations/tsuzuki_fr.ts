<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>AniListResults</name>
    <message>
        <location filename="../../gui/dialogs/anilist_search.py" line="63"/>
        <source>Searching AniList…</source>
        <translation>Recherche sur AniList…</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/anilist_search.py" line="75"/>
        <source>Nothing found on AniList.</source>
        <translation>Rien trouvé sur AniList.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../gui/dialogs/anilist_search.py" line="76"/>
        <source>Pick the show (%n found):</source>
        <translation>
            <numerusform>Choisissez la série (%n trouvée) :</numerusform>
            <numerusform>Choisissez la série (%n trouvées) :</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/anilist_search.py" line="91"/>
        <source>AniList could not be searched: %1</source>
        <translation>Impossible de chercher sur AniList : %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../gui/dialogs/anilist_search.py" line="96"/>
        <source>%1 (%n episode(s))</source>
        <translation>
            <numerusform>%1 (%n épisode)</numerusform>
            <numerusform>%1 (%n épisodes)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ChannelsPage</name>
    <message>
        <location filename="../../gui/dialogs/settings_pages.py" line="139"/>
        <source>Channel</source>
        <translation>Canal</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_pages.py" line="139"/>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_pages.py" line="160"/>
        <source>&amp;Remove</source>
        <translation>&amp;Retirer</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_pages.py" line="161"/>
        <source>T&amp;est</source>
        <translation>&amp;Essayer</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_pages.py" line="162"/>
        <source>My phone</source>
        <translation>Mon téléphone</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_pages.py" line="163"/>
        <source>ntfy://…, discord://…, mailto://…</source>
        <translation>ntfy://…, discord://…, mailto://…</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_pages.py" line="167"/>
        <source>&amp;Label:</source>
        <translation>&amp;Nom :</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_pages.py" line="168"/>
        <source>&amp;URL:</source>
        <translation>&amp;Adresse :</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_pages.py" line="169"/>
        <source>&amp;Add</source>
        <translation>&amp;Ajouter</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_pages.py" line="271"/>
        <source>sent</source>
        <translation>envoyé</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_pages.py" line="152"/>
        <source>New episodes</source>
        <translation>Nouveaux épisodes</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_pages.py" line="153"/>
        <source>Finished downloads</source>
        <translation>Téléchargements terminés</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_pages.py" line="154"/>
        <source>Failed downloads</source>
        <translation>Téléchargements échoués</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_pages.py" line="155"/>
        <source>Broken sources</source>
        <translation>Sources en panne</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_pages.py" line="173"/>
        <source>Tell it about:</source>
        <translation>Lui signaler :</translation>
    </message>
</context>
<context>
    <name>DesktopNotifications</name>
    <message>
        <location filename="../../gui/desktop_notifications.py" line="131"/>
        <source>Open</source>
        <translation>Ouvrir</translation>
    </message>
</context>
<context>
    <name>DetailsPane</name>
    <message>
        <location filename="../../gui/windows/details_pane.py" line="70"/>
        <source>&amp;Download episode</source>
        <translation>&amp;Télécharger l&apos;épisode</translation>
    </message>
    <message>
        <location filename="../../gui/windows/details_pane.py" line="72"/>
        <source>&amp;Open file</source>
        <translation>&amp;Ouvrir le fichier</translation>
    </message>
    <message>
        <location filename="../../gui/windows/details_pane.py" line="96"/>
        <source>Episodes</source>
        <translation>Épisodes</translation>
    </message>
    <message>
        <location filename="../../gui/windows/details_pane.py" line="116"/>
        <source>No show selected</source>
        <translation>Aucune série choisie</translation>
    </message>
    <message>
        <location filename="../../gui/windows/details_pane.py" line="116"/>
        <source>Welcome</source>
        <translation>Bienvenue</translation>
    </message>
    <message>
        <location filename="../../gui/windows/details_pane.py" line="120"/>
        <source>Select a show to see its episodes and why each was or was not taken.</source>
        <translation>Choisissez une série pour voir ses épisodes, et pourquoi chacun a été pris ou non.</translation>
    </message>
    <message>
        <location filename="../../gui/windows/details_pane.py" line="122"/>
        <source>Your watchlist is empty. Add a show with Add show (Ctrl+N), or drop a feed address or a folder of episodes on this window. Tsuzuki then checks it every few hours and downloads each new episode once.</source>
        <translation>Votre liste est vide. Ajoutez une série avec Ajouter une série (Ctrl+N), ou déposez sur cette fenêtre l&apos;adresse d&apos;un flux ou un dossier d&apos;épisodes. Tsuzuki la vérifie ensuite toutes les quelques heures et télécharge chaque nouvel épisode une seule fois.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../gui/windows/details_pane.py" line="131"/>
        <source>%n episode(s)</source>
        <translation>
            <numerusform>%n épisode</numerusform>
            <numerusform>%n épisodes</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../gui/windows/details_pane.py" line="143"/>
        <source>No poster</source>
        <translation>Pas d&apos;affiche</translation>
    </message>
</context>
<context>
    <name>DownloadsModel</name>
    <message>
        <location filename="../../gui/models/downloads.py" line="47"/>
        <source>Queued</source>
        <translation>En attente</translation>
    </message>
    <message>
        <location filename="../../gui/models/downloads.py" line="47"/>
        <source>Downloading</source>
        <translation>En cours</translation>
    </message>
    <message>
        <location filename="../../gui/models/downloads.py" line="48"/>
        <source>Done</source>
        <translation>Terminé</translation>
    </message>
    <message>
        <location filename="../../gui/models/downloads.py" line="48"/>
        <source>Failed</source>
        <translation>Échec</translation>
    </message>
    <message>
        <location filename="../../gui/models/downloads.py" line="49"/>
        <source>Cancelled</source>
        <translation>Annulé</translation>
    </message>
    <message>
        <location filename="../../gui/models/downloads.py" line="53"/>
        <source>Show</source>
        <translation>Série</translation>
    </message>
    <message>
        <location filename="../../gui/models/downloads.py" line="53"/>
        <source>Episode</source>
        <translation>Épisode</translation>
    </message>
    <message>
        <location filename="../../gui/models/downloads.py" line="53"/>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <location filename="../../gui/models/downloads.py" line="54"/>
        <source>Progress</source>
        <translation>Progression</translation>
    </message>
    <message>
        <location filename="../../gui/models/downloads.py" line="54"/>
        <source>Speed</source>
        <translation>Débit</translation>
    </message>
    <message>
        <location filename="../../gui/models/downloads.py" line="54"/>
        <source>Left</source>
        <translation>Reste</translation>
    </message>
    <message>
        <location filename="../../gui/models/downloads.py" line="55"/>
        <source>File</source>
        <translation>Fichier</translation>
    </message>
    <message>
        <location filename="../../gui/models/downloads.py" line="74"/>
        <source>no reason was recorded</source>
        <translation>aucune raison enregistrée</translation>
    </message>
    <message>
        <location filename="../../gui/models/downloads.py" line="95"/>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
</context>
<context>
    <name>DownloadsView</name>
    <message>
        <location filename="../../gui/windows/downloads_view.py" line="53"/>
        <source>&amp;Cancel</source>
        <translation>&amp;Annuler</translation>
    </message>
    <message>
        <location filename="../../gui/windows/downloads_view.py" line="54"/>
        <source>&amp;Retry</source>
        <translation>&amp;Réessayer</translation>
    </message>
    <message>
        <location filename="../../gui/windows/downloads_view.py" line="55"/>
        <source>Re&amp;move</source>
        <translation>Re&amp;tirer</translation>
    </message>
    <message>
        <location filename="../../gui/windows/downloads_view.py" line="56"/>
        <source>&amp;Open file</source>
        <translation>&amp;Ouvrir le fichier</translation>
    </message>
    <message>
        <location filename="../../gui/windows/downloads_view.py" line="57"/>
        <source>Open &amp;folder</source>
        <translation>Ouvrir le &amp;dossier</translation>
    </message>
</context>
<context>
    <name>EpisodeTimelineModel</name>
    <message>
        <location filename="../../gui/models/episodes.py" line="59"/>
        <source>Found</source>
        <translation>Trouvé</translation>
    </message>
    <message>
        <location filename="../../gui/models/episodes.py" line="59"/>
        <source>Queued</source>
        <translation>En attente</translation>
    </message>
    <message>
        <location filename="../../gui/models/episodes.py" line="60"/>
        <source>Downloading</source>
        <translation>En cours</translation>
    </message>
    <message>
        <location filename="../../gui/models/episodes.py" line="60"/>
        <source>Downloaded</source>
        <translation>Téléchargé</translation>
    </message>
    <message>
        <location filename="../../gui/models/episodes.py" line="61"/>
        <source>Failed</source>
        <translation>Échec</translation>
    </message>
    <message>
        <location filename="../../gui/models/episodes.py" line="61"/>
        <source>Skipped</source>
        <translation>Ignoré</translation>
    </message>
    <message>
        <location filename="../../gui/models/episodes.py" line="65"/>
        <source>Episode</source>
        <translation>Épisode</translation>
    </message>
    <message>
        <location filename="../../gui/models/episodes.py" line="65"/>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <location filename="../../gui/models/episodes.py" line="66"/>
        <source>Progress</source>
        <translation>Progression</translation>
    </message>
    <message>
        <location filename="../../gui/models/episodes.py" line="66"/>
        <source>Release</source>
        <translation>Version</translation>
    </message>
    <message>
        <location filename="../../gui/models/episodes.py" line="67"/>
        <source>Why</source>
        <translation>Pourquoi</translation>
    </message>
    <message>
        <location filename="../../gui/models/episodes.py" line="67"/>
        <source>File</source>
        <translation>Fichier</translation>
    </message>
    <message>
        <location filename="../../gui/models/episodes.py" line="67"/>
        <source>Updated</source>
        <translation>Mis à jour</translation>
    </message>
</context>
<context>
    <name>GeneralPage</name>
    <message>
        <location filename="../../gui/dialogs/settings_dialog.py" line="65"/>
        <source> h</source>
        <translation> h</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_dialog.py" line="67"/>
        <source>Download new episodes automatically</source>
        <translation>Télécharger les nouveaux épisodes automatiquement</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_dialog.py" line="68"/>
        <source>Tell me about new episodes</source>
        <translation>Me prévenir des nouveaux épisodes</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_dialog.py" line="69"/>
        <source>Check completed shows too</source>
        <translation>Vérifier aussi les séries terminées</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_dialog.py" line="70"/>
        <source>Mark a show completed once its last episode is downloaded</source>
        <translation>Marquer une série terminée une fois son dernier épisode téléchargé</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_dialog.py" line="81"/>
        <source>The language a show&apos;s &quot;sub&quot; and &quot;dub&quot; mean, as a two-letter code (en, fr, it, es, pt…).</source>
        <translation>La langue que « sub » et « dub » désignent pour une série, en code à deux lettres (en, fr, it, es, pt…).</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_dialog.py" line="87"/>
        <source>C&amp;hoose…</source>
        <translation>C&amp;hoisir…</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_dialog.py" line="94"/>
        <source>Check &amp;every:</source>
        <translation>Vérifier &amp;toutes les :</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_dialog.py" line="95"/>
        <source>&amp;Parallel downloads:</source>
        <translation>Téléchargements en &amp;parallèle :</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_dialog.py" line="96"/>
        <source>Automatic &amp;downloads at once:</source>
        <translation>Téléchargements &amp;automatiques simultanés :</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_dialog.py" line="101"/>
        <source>Download &amp;folder:</source>
        <translation>&amp;Dossier des téléchargements :</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_dialog.py" line="84"/>
        <source>As the desktop</source>
        <translation>Comme le bureau</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_dialog.py" line="84"/>
        <source>Light</source>
        <translation>Clair</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_dialog.py" line="85"/>
        <source>Dark</source>
        <translation>Sombre</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_dialog.py" line="103"/>
        <source>&amp;Appearance:</source>
        <translation>&amp;Apparence :</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_dialog.py" line="123"/>
        <source>Download folder</source>
        <translation>Dossier des téléchargements</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_dialog.py" line="71"/>
        <source>Closing the window keeps Tsuzuki running in the tray</source>
        <translation>Fermer la fenêtre laisse Tsuzuki tourner dans la zone de notification</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_dialog.py" line="72"/>
        <source>Start Tsuzuki when I log in (in the tray)</source>
        <translation>Lancer Tsuzuki à l&apos;ouverture de session (dans la zone de notification)</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_dialog.py" line="75"/>
        <source>Normal</source>
        <translation>Normale</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_dialog.py" line="75"/>
        <source>Minimised</source>
        <translation>Réduite</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_dialog.py" line="76"/>
        <source>Hidden (only the tray icon)</source>
        <translation>Masquée (seulement l&apos;icône de notification)</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_dialog.py" line="102"/>
        <source>&amp;Subtitle language:</source>
        <translation>&amp;Langue des sous-titres :</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_dialog.py" line="104"/>
        <source>Window</source>
        <translation>Fenêtre</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_dialog.py" line="106"/>
        <source>On &amp;start:</source>
        <translation>Au dé&amp;marrage :</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../gui/windows/main_window.py" line="80"/>
        <source>Search titles and aliases  (Ctrl+F)</source>
        <translation>Chercher dans les titres et les alias  (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../gui/windows/main_window.py" line="88"/>
        <source>&amp;Watchlist</source>
        <translation>&amp;Liste</translation>
    </message>
    <message>
        <location filename="../../gui/windows/main_window.py" line="89"/>
        <source>&amp;Downloads</source>
        <translation>&amp;Téléchargements</translation>
    </message>
    <message>
        <location filename="../../gui/windows/main_window.py" line="153"/>
        <source>&amp;Show</source>
        <translation>&amp;Série</translation>
    </message>
    <message>
        <location filename="../../gui/windows/main_window.py" line="154"/>
        <source>Actions</source>
        <translation>Actions</translation>
    </message>
    <message>
        <location filename="../../gui/windows/main_window.py" line="157"/>
        <source>&amp;Add show…</source>
        <translation>&amp;Ajouter une série…</translation>
    </message>
    <message>
        <location filename="../../gui/windows/main_window.py" line="158"/>
        <source>&amp;Edit…</source>
        <translation>&amp;Modifier…</translation>
    </message>
    <message>
        <location filename="../../gui/windows/main_window.py" line="159"/>
        <source>Add from &amp;pasted URL</source>
        <translation>Ajouter depuis l&apos;adresse &amp;collée</translation>
    </message>
    <message>
        <location filename="../../gui/windows/main_window.py" line="160"/>
        <source>&amp;Pause / Resume</source>
        <translation>&amp;Pause / Reprise</translation>
    </message>
    <message>
        <location filename="../../gui/windows/main_window.py" line="161"/>
        <source>&amp;Remove…</source>
        <translation>&amp;Retirer…</translation>
    </message>
    <message>
        <location filename="../../gui/windows/main_window.py" line="162"/>
        <source>&amp;Check now</source>
        <translation>&amp;Vérifier maintenant</translation>
    </message>
    <message>
        <location filename="../../gui/windows/main_window.py" line="163"/>
        <source>Check &amp;all</source>
        <translation>Tout vé&amp;rifier</translation>
    </message>
    <message>
        <location filename="../../gui/windows/main_window.py" line="164"/>
        <source>Open download &amp;folder</source>
        <translation>Ouvrir le &amp;dossier des téléchargements</translation>
    </message>
    <message>
        <location filename="../../gui/windows/main_window.py" line="174"/>
        <source>&amp;Find</source>
        <translation>&amp;Chercher</translation>
    </message>
    <message>
        <location filename="../../gui/windows/main_window.py" line="177"/>
        <source>&amp;Settings…</source>
        <translation>&amp;Réglages…</translation>
    </message>
    <message>
        <location filename="../../gui/windows/main_window.py" line="181"/>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <location filename="../../gui/windows/main_window.py" line="324"/>
        <source>Remove shows</source>
        <translation>Retirer des séries</translation>
    </message>
    <message numerus="yes">
        <location filename="../../gui/windows/main_window.py" line="325"/>
        <source>Remove %n show(s) from the watchlist: %1?

Their queued downloads go too; episodes already downloaded stay on disk.</source>
        <translation>
            <numerusform>Retirer %n série de la liste : %1 ?

Ses téléchargements en attente partent aussi ; les épisodes déjà téléchargés restent sur le disque.</numerusform>
            <numerusform>Retirer %n séries de la liste : %1 ?

Leurs téléchargements en attente partent aussi ; les épisodes déjà téléchargés restent sur le disque.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../gui/windows/main_window.py" line="369"/>
        <source>All (%1)</source>
        <translation>Toutes (%1)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../gui/windows/main_window.py" line="379"/>
        <source>Checking %n show(s)…</source>
        <translation>
            <numerusform>Vérification de %n série…</numerusform>
            <numerusform>Vérification de %n séries…</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../gui/windows/main_window.py" line="389"/>
        <source>Tsuzuki</source>
        <translation>Tsuzuki</translation>
    </message>
</context>
<context>
    <name>PreviewModel</name>
    <message>
        <location filename="../../gui/models/preview.py" line="35"/>
        <source>Take</source>
        <translation>Prendre</translation>
    </message>
    <message>
        <location filename="../../gui/models/preview.py" line="35"/>
        <source>Episode</source>
        <translation>Épisode</translation>
    </message>
    <message>
        <location filename="../../gui/models/preview.py" line="36"/>
        <source>Release</source>
        <translation>Version</translation>
    </message>
    <message>
        <location filename="../../gui/models/preview.py" line="36"/>
        <source>Why</source>
        <translation>Pourquoi</translation>
    </message>
    <message>
        <location filename="../../gui/models/preview.py" line="49"/>
        <source>take</source>
        <translation>prendre</translation>
    </message>
    <message>
        <location filename="../../gui/models/preview.py" line="49"/>
        <source>skip</source>
        <translation>ignorer</translation>
    </message>
</context>
<context>
    <name>SchedulerPage</name>
    <message>
        <location filename="../../gui/dialogs/settings_pages.py" line="102"/>
        <source>&amp;Start</source>
        <translation>&amp;Lancer</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_pages.py" line="103"/>
        <source>St&amp;op</source>
        <translation>&amp;Arrêter</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_pages.py" line="104"/>
        <source>&amp;Run now</source>
        <translation>Vérifier &amp;maintenant</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../gui/dialogs/settings_dialog.py" line="148"/>
        <source>Settings</source>
        <translation>Réglages</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_dialog.py" line="154"/>
        <source>&amp;General</source>
        <translation>&amp;Général</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_dialog.py" line="155"/>
        <source>S&amp;cheduler</source>
        <translation>&amp;Planification</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_dialog.py" line="156"/>
        <source>&amp;Notifications</source>
        <translation>&amp;Notifications</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_dialog.py" line="157"/>
        <source>&amp;Torrent client</source>
        <translation>Client &amp;torrent</translation>
    </message>
</context>
<context>
    <name>Shell</name>
    <message>
        <location filename="../../gui/shell.py" line="118"/>
        <location filename="../../gui/shell.py" line="128"/>
        <source>Tsuzuki</source>
        <translation>Tsuzuki</translation>
    </message>
    <message>
        <location filename="../../gui/shell.py" line="119"/>
        <source>Tsuzuki is still running in the tray: checks and downloads go on. Quit it from the tray icon&apos;s menu.</source>
        <translation>Tsuzuki tourne toujours dans la zone de notification : les vérifications et les téléchargements continuent. Quittez-le depuis le menu de son icône.</translation>
    </message>
    <message>
        <location filename="../../gui/shell.py" line="129"/>
        <source>This desktop has no tray, so closing the window quits Tsuzuki: it checks and downloads only while it is open. To keep it running, leave the window open or minimised.</source>
        <translation>Ce bureau n&apos;a pas de zone de notification : fermer la fenêtre quitte donc Tsuzuki, qui ne vérifie et ne télécharge que tant qu&apos;il est ouvert. Pour qu&apos;il continue, laissez la fenêtre ouverte ou réduite.</translation>
    </message>
</context>
<context>
    <name>ShowDialog</name>
    <message>
        <location filename="../../gui/dialogs/show_dialog.py" line="96"/>
        <source>Edit show</source>
        <translation>Modifier la série</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/show_dialog.py" line="96"/>
        <source>Add show</source>
        <translation>Ajouter une série</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/show_dialog.py" line="114"/>
        <source>Search &amp;AniList</source>
        <translation>Chercher sur &amp;AniList</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/show_dialog.py" line="117"/>
        <source>https://…/feed.xml, a folder, or a channel URL</source>
        <translation>https://…/feed.xml, un dossier ou l&apos;adresse d&apos;une chaîne</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/show_dialog.py" line="124"/>
        <source>best available</source>
        <translation>la meilleure disponible</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/show_dialog.py" line="126"/>
        <source>Download new episodes automatically</source>
        <translation>Télécharger les nouveaux épisodes automatiquement</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/show_dialog.py" line="127"/>
        <source>comma-separated</source>
        <translation>séparés par des virgules</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/show_dialog.py" line="130"/>
        <source>from its titles</source>
        <translation>d&apos;après ses titres</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/show_dialog.py" line="131"/>
        <source>A release that states another season is not taken.</source>
        <translation>Une sortie qui indique une autre saison n&apos;est pas prise.</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/show_dialog.py" line="132"/>
        <source>Subtracted from a release&apos;s episode number (absolute numbering).</source>
        <translation>Retranché du numéro d&apos;épisode d&apos;une version (numérotation absolue).</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/show_dialog.py" line="138"/>
        <source>&amp;Title:</source>
        <translation>&amp;Titre :</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/show_dialog.py" line="141"/>
        <source>Source &amp;URL:</source>
        <translation>&amp;Adresse de la source :</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/show_dialog.py" line="142"/>
        <source>&amp;Provider:</source>
        <translation>&amp;Fournisseur :</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/show_dialog.py" line="143"/>
        <source>&amp;Language:</source>
        <translation>&amp;Langue :</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/show_dialog.py" line="144"/>
        <source>&amp;Quality:</source>
        <translation>&amp;Qualité :</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/show_dialog.py" line="146"/>
        <source>Al&amp;iases:</source>
        <translation>Al&amp;ias :</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/show_dialog.py" line="146"/>
        <source>Pr&amp;eferred groups:</source>
        <translation>Groupes &amp;préférés :</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/show_dialog.py" line="147"/>
        <source>&amp;Blocked groups:</source>
        <translation>Groupes &amp;bloqués :</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/show_dialog.py" line="149"/>
        <source>Episode &amp;offset:</source>
        <translation>&amp;Décalage d&apos;épisode :</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/show_dialog.py" line="150"/>
        <source>Sea&amp;son:</source>
        <translation>Sai&amp;son :</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/show_dialog.py" line="157"/>
        <source>&lt;b&gt;What the first check would take&lt;/b&gt;</source>
        <translation>&lt;b&gt;Ce que la première vérification prendrait&lt;/b&gt;</translation>
    </message>
    <message numerus="yes">
        <location filename="../../gui/dialogs/show_dialog.py" line="243"/>
        <source>AniList #%1: %n episode(s)</source>
        <translation>
            <numerusform>AniList n° %1 : %n épisode</numerusform>
            <numerusform>AniList n° %1 : %n épisodes</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/show_dialog.py" line="245"/>
        <source>AniList #%1</source>
        <translation>AniList n° %1</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/show_dialog.py" line="289"/>
        <source>Complete the form to see what a check would take.</source>
        <translation>Remplissez le formulaire pour voir ce qu&apos;une vérification prendrait.</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/show_dialog.py" line="292"/>
        <source>Reading the source…</source>
        <translation>Lecture de la source…</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/show_dialog.py" line="301"/>
        <source>The source lists nothing now.</source>
        <translation>La source ne propose rien pour l&apos;instant.</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/show_dialog.py" line="308"/>
        <source>The source could not be read: %1</source>
        <translation>La source n&apos;a pas pu être lue : %1</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/show_dialog.py" line="326"/>
        <source>Tsuzuki is quitting: the show was not saved.</source>
        <translation>Tsuzuki se ferme : la série n&apos;a pas été enregistrée.</translation>
    </message>
</context>
<context>
    <name>TorrentClientPage</name>
    <message>
        <location filename="../../gui/dialogs/settings_pages.py" line="292"/>
        <source>kept in the system keyring</source>
        <translation>gardée dans le trousseau du système</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_pages.py" line="297"/>
        <source>&amp;Kind:</source>
        <translation>&amp;Type :</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_pages.py" line="298"/>
        <source>&amp;URL:</source>
        <translation>&amp;Adresse :</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_pages.py" line="299"/>
        <source>User &amp;name:</source>
        <translation>&amp;Utilisateur :</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_pages.py" line="300"/>
        <source>&amp;Password:</source>
        <translation>&amp;Mot de passe :</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_pages.py" line="301"/>
        <source>&amp;Save</source>
        <translation>&amp;Enregistrer</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_pages.py" line="301"/>
        <source>C&amp;lear</source>
        <translation>&amp;Effacer</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_pages.py" line="302"/>
        <source>T&amp;est</source>
        <translation>&amp;Essayer</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_pages.py" line="317"/>
        <source>Type the password: the keyring keeps it, it is not shown.</source>
        <translation>Tapez le mot de passe : le trousseau le garde, il n&apos;est pas affiché.</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_pages.py" line="327"/>
        <source>Saved.</source>
        <translation>Enregistré.</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_pages.py" line="335"/>
        <source>No torrent client is set up.</source>
        <translation>Aucun client torrent n&apos;est configuré.</translation>
    </message>
</context>
<context>
    <name>TrayActivity</name>
    <message>
        <location filename="../../gui/tray_activity.py" line="55"/>
        <source>Checking…</source>
        <translation>Vérification…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../gui/tray_activity.py" line="57"/>
        <source>%n downloading</source>
        <translation>
            <numerusform>%n téléchargement en cours</numerusform>
            <numerusform>%n téléchargements en cours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../gui/tray_activity.py" line="59"/>
        <source>Problems since you last looked: %n</source>
        <translation>
            <numerusform>Problèmes depuis votre dernier passage : %n</numerusform>
            <numerusform>Problèmes depuis votre dernier passage : %n</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../gui/tray_activity.py" line="64"/>
        <source>Idle</source>
        <translation>Au repos</translation>
    </message>
</context>
<context>
    <name>TrayIcon</name>
    <message>
        <location filename="../../gui/tray.py" line="128"/>
        <source>Hide window</source>
        <translation>Masquer la fenêtre</translation>
    </message>
    <message>
        <location filename="../../gui/tray.py" line="130"/>
        <source>Show window</source>
        <translation>Afficher la fenêtre</translation>
    </message>
    <message>
        <location filename="../../gui/tray.py" line="138"/>
        <source>Stop periodic checks</source>
        <translation>Arrêter les vérifications périodiques</translation>
    </message>
    <message>
        <location filename="../../gui/tray.py" line="140"/>
        <source>Start periodic checks</source>
        <translation>Lancer les vérifications périodiques</translation>
    </message>
    <message>
        <location filename="../../gui/tray.py" line="143"/>
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
</context>
<context>
    <name>WatchlistModel</name>
    <message>
        <location filename="../../gui/models/watchlist.py" line="215"/>
        <source>Next airing</source>
        <translation>Prochaine diffusion</translation>
    </message>
    <message>
        <location filename="../../gui/models/watchlist.py" line="269"/>
        <source>Ep %1 · %2</source>
        <translation>Ép. %1 · %2</translation>
    </message>
    <message>
        <location filename="../../gui/models/watchlist.py" line="284"/>
        <source>%1 d %2 h</source>
        <translation>%1 j %2 h</translation>
    </message>
    <message>
        <location filename="../../gui/models/watchlist.py" line="286"/>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <location filename="../../gui/models/watchlist.py" line="287"/>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <location filename="../../gui/models/watchlist.py" line="317"/>
        <source>%1 downloaded, %2 found, %3 of %4 aired</source>
        <translation>%1 téléchargés, %2 trouvés, %3 sur %4 diffusés</translation>
    </message>
    <message>
        <location filename="../../gui/models/watchlist.py" line="323"/>
        <source>Episode %1 airs in %2 (%3)</source>
        <translation>L’épisode %1 est diffusé dans %2 (%3)</translation>
    </message>
    <message>
        <location filename="../../gui/models/watchlist.py" line="172"/>
        <source>The watchlist could not be read: %1</source>
        <translation>La liste de suivi n’a pas pu être lue : %1</translation>
    </message>
    <message>
        <location filename="../../gui/models/watchlist.py" line="206"/>
        <source>Active</source>
        <translation>Active</translation>
    </message>
    <message>
        <location filename="../../gui/models/watchlist.py" line="206"/>
        <source>Paused</source>
        <translation>En pause</translation>
    </message>
    <message>
        <location filename="../../gui/models/watchlist.py" line="207"/>
        <source>Completed</source>
        <translation>Terminée</translation>
    </message>
    <message>
        <location filename="../../gui/models/watchlist.py" line="207"/>
        <source>Archived</source>
        <translation>Archivée</translation>
    </message>
    <message>
        <location filename="../../gui/models/watchlist.py" line="211"/>
        <source>Title</source>
        <translation>Titre</translation>
    </message>
    <message>
        <location filename="../../gui/models/watchlist.py" line="211"/>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <location filename="../../gui/models/watchlist.py" line="212"/>
        <source>Source</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../gui/models/watchlist.py" line="212"/>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <location filename="../../gui/models/watchlist.py" line="213"/>
        <source>Quality</source>
        <translation>Qualité</translation>
    </message>
    <message>
        <location filename="../../gui/models/watchlist.py" line="213"/>
        <source>Episodes</source>
        <translation>Épisodes</translation>
    </message>
    <message>
        <location filename="../../gui/models/watchlist.py" line="214"/>
        <source>Next check</source>
        <translation>Prochaine vérification</translation>
    </message>
    <message>
        <location filename="../../gui/models/watchlist.py" line="214"/>
        <source>Last check</source>
        <translation>Dernière vérification</translation>
    </message>
    <message>
        <location filename="../../gui/models/watchlist.py" line="215"/>
        <source>Problem</source>
        <translation>Problème</translation>
    </message>
    <message>
        <location filename="../../gui/models/watchlist.py" line="261"/>
        <source>not checked</source>
        <translation>pas vérifiée</translation>
    </message>
    <message>
        <location filename="../../gui/models/watchlist.py" line="262"/>
        <source>due now</source>
        <translation>à faire maintenant</translation>
    </message>
    <message>
        <location filename="../../gui/models/watchlist.py" line="264"/>
        <source>never</source>
        <translation>jamais</translation>
    </message>
    <message>
        <location filename="../../gui/models/watchlist.py" line="315"/>
        <source>unknown</source>
        <translation>inconnu</translation>
    </message>
    <message>
        <location filename="../../gui/models/watchlist.py" line="320"/>
        <source>%1 downloaded, %2 found, of %3</source>
        <translation>%1 téléchargés, %2 trouvés, sur %3</translation>
    </message>
</context>
<context>
    <name>answer</name>
    <message>
        <location filename="../../gui/dialogs/settings_pages.py" line="73"/>
        <source>Testing…</source>
        <translation>Essai…</translation>
    </message>
    <message>
        <location filename="../../gui/dialogs/settings_pages.py" line="75"/>
        <source>Tsuzuki is quitting.</source>
        <translation>Tsuzuki se ferme.</translation>
    </message>
</context>
<context>
    <name>help</name>
    <message>
        <location filename="../../gui/windows/help_menu.py" line="21"/>
        <source>unknown (not installed)</source>
        <translation>inconnue (non installé)</translation>
    </message>
    <message>
        <location filename="../../gui/windows/help_menu.py" line="26"/>
        <source>&amp;Help</source>
        <translation>&amp;Aide</translation>
    </message>
    <message>
        <location filename="../../gui/windows/help_menu.py" line="28"/>
        <source>Open &amp;log folder</source>
        <translation>Ouvrir le dossier du &amp;journal</translation>
    </message>
    <message>
        <location filename="../../gui/windows/help_menu.py" line="30"/>
        <source>&amp;About Tsuzuki</source>
        <translation>À &amp;propos de Tsuzuki</translation>
    </message>
    <message>
        <location filename="../../gui/windows/help_menu.py" line="35"/>
        <source>&lt;h3&gt;Tsuzuki {version}&lt;/h3&gt;&lt;p&gt;Follow airing anime: Tsuzuki checks the sources of your watchlist for new episodes and downloads them.&lt;/p&gt;&lt;p&gt;Your data: {data}&lt;br&gt;Log: {logs}&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Tsuzuki {version}&lt;/h3&gt;&lt;p&gt;Suivez les anime en cours de diffusion : Tsuzuki vérifie les sources de votre liste et télécharge les nouveaux épisodes.&lt;/p&gt;&lt;p&gt;Vos données : {data}&lt;br&gt;Journal : {logs}&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../../gui/windows/help_menu.py" line="40"/>
        <source>About Tsuzuki</source>
        <translation>À propos de Tsuzuki</translation>
    </message>
</context>
<context>
    <name>scheduler</name>
    <message>
        <location filename="../../gui/scheduler_text.py" line="23"/>
        <source>in less than a minute</source>
        <translation>dans moins d&apos;une minute</translation>
    </message>
    <message>
        <location filename="../../gui/scheduler_text.py" line="27"/>
        <source>in %1 d %2 h</source>
        <translation>dans %1 j %2 h</translation>
    </message>
    <message>
        <location filename="../../gui/scheduler_text.py" line="29"/>
        <source>in %1 d</source>
        <translation>dans %1 j</translation>
    </message>
    <message>
        <location filename="../../gui/scheduler_text.py" line="31"/>
        <source>in %1 h %2 min</source>
        <translation>dans %1 h %2 min</translation>
    </message>
    <message>
        <location filename="../../gui/scheduler_text.py" line="33"/>
        <source>in %1 h</source>
        <translation>dans %1 h</translation>
    </message>
    <message>
        <location filename="../../gui/scheduler_text.py" line="34"/>
        <source>in %1 min</source>
        <translation>dans %1 min</translation>
    </message>
    <message>
        <location filename="../../gui/scheduler_text.py" line="40"/>
        <source>Periodic checks are off</source>
        <translation>Vérifications périodiques arrêtées</translation>
    </message>
    <message>
        <location filename="../../gui/scheduler_text.py" line="42"/>
        <source>Periodic checks every %1 h</source>
        <translation>Vérifications périodiques toutes les %1 h</translation>
    </message>
    <message>
        <location filename="../../gui/scheduler_text.py" line="44"/>
        <source>Next check: now</source>
        <translation>Prochaine vérification : maintenant</translation>
    </message>
    <message>
        <location filename="../../gui/scheduler_text.py" line="45"/>
        <source>Next check: %1</source>
        <translation>Prochaine vérification : %1</translation>
    </message>
    <message>
        <location filename="../../gui/scheduler_text.py" line="52"/>
        <source>now</source>
        <translation>maintenant</translation>
    </message>
    <message>
        <location filename="../../gui/scheduler_text.py" line="54"/>
        <source>Periodic checks every %1 h; next check %2</source>
        <translation>Vérifications périodiques toutes les %1 h ; prochaine %2</translation>
    </message>
</context>
</TS>
