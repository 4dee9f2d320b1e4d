<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr" sourcelanguage="en">
<context>
    <name>AnswerCheck</name>
    <message>
        <location filename="../../src/desktop_rag/qt/answer_check.py" line="+18"/>
        <source>Not found in the passages of the prompt.</source>
        <translation>Introuvable dans les extraits du prompt.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The passage it cites does not contain it; passage %1 does.</source>
        <translation>L&apos;extrait cité ne le contient pas&#xa0;; l&apos;extrait %1, si.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A copied passage header, not an answer to the question.</source>
        <translation>Un en-tête d&apos;extrait recopié, pas une réponse à la question.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Citations only: the answer says nothing.</source>
        <translation>Des citations seulement&#xa0;: la réponse ne dit rien.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>It only repeats the question: the answer itself is missing.</source>
        <translation>Elle ne fait que reprendre la question&#xa0;: la réponse elle-même manque.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The question asks for a number or a date, and the answer gives none.</source>
        <translation>La question demande un nombre ou une date, et la réponse n’en donne aucun.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Found in the passages, but it leaves out most of what the question is about: it may answer another question.</source>
        <translation>Trouvé dans les extraits, mais la réponse laisse de côté l’essentiel de ce sur quoi porte la question : elle répond peut-être à une autre question.</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Not in them: %1.</source>
        <translation>Absent des extraits&#xa0;: %1.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>answered on a second look at %1 alone (the model first found no answer in the passages)</source>
        <translation>réponse donnée en relisant %1 seul (le modèle n&apos;avait d&apos;abord trouvé aucune réponse dans les extraits)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>⚠ not in your documents: asked again, the model says that %1 does not answer this question</source>
        <translation>⚠ absent de vos documents&#xa0;: interrogé à nouveau, le modèle dit que %1 ne répond pas à cette question</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>⚠ not in your documents: the model found no answer in the passages</source>
        <translation>⚠ absent de vos documents&#xa0;: le modèle n&apos;a trouvé aucune réponse dans les extraits</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>⚠ %n sentence(s) not found in the passages cited (click ⚠)</source>
        <translation>
            <numerusform>⚠ %n phrase introuvable dans les extraits cités (cliquez sur ⚠)</numerusform>
            <numerusform>⚠ %n phrases introuvables dans les extraits cités (cliquez sur ⚠)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>⚠ found in the passages, but may not answer this question (click ⚠)</source>
        <translation>⚠ trouvé dans les extraits, mais ne répond peut-être pas à cette question (cliquez sur ⚠)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>⚠ unsteady: asked again %1 times, the model gave another answer %2 time(s); it may be a guess</source>
        <translation>⚠ instable : reposée %1 fois, le modèle a donné une autre réponse %2 fois ; elle est peut-être devinée</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>✓ given again %1 of %2 times</source>
        <translation>✓ redonnée %1 fois sur %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>✓ every sentence found in the passages</source>
        <translation>✓ chaque phrase se trouve dans les extraits</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>citation %1 corrected to %2</source>
        <translation>citation %1 corrigée en %2</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Asked again, the model said:</source>
        <translation>Question reposée, le modèle a dit :</translation>
    </message>
</context>
<context>
    <name>AnswerChecksGroup</name>
    <message>
        <location filename="../../src/desktop_rag/qt/answer_checks_group.py" line="+23"/>
        <source>Answer checks</source>
        <translation>Vérification des réponses</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+37"/>
        <source>Automatic: models of 1.5B parameters or more</source>
        <translation>Automatique : modèles de 1,5 milliard de paramètres ou plus</translation>
    </message>
    <message>
        <location line="-36"/>
        <source>Always</source>
        <translation>Toujours</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+12"/>
        <source>Never</source>
        <translation>Jamais</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>After the answer, ask the model whether the passage it cites answers exactly this question (one short request, a few seconds); if not, the answer is marked not in your documents. When the model found no answer, its best passage is checked, and if it holds one the question is asked again with that passage alone. Smaller models judge their own answers poorly, so Automatic leaves them unchecked.</source>
        <translation>Après la réponse, demander au modèle si le passage qu’elle cite répond exactement à cette question (une courte requête, quelques secondes) ; sinon, la réponse est marquée absente de vos documents. Quand le modèle n’a pas trouvé de réponse, son meilleur passage est vérifié et, s’il en contient une, la question est reposée avec ce seul passage. Les petits modèles jugent mal leurs propres réponses : Automatique ne les vérifie pas.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Check answers with the model</source>
        <translation>Vérifier les réponses avec le modèle</translation>
    </message>
    <message>
        <location line="+4"/>
        <source> times</source>
        <translation> fois</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>After the answer, ask the same question again this many times with some randomness (each costs only its own words, the passages stay in the model&apos;s cache). When the model mostly says something else or finds no answer, the answer is marked unsteady: it may be a guess among the passages.</source>
        <translation>Après la réponse, reposer la même question ce nombre de fois avec un peu de hasard (chaque fois ne coûte que ses propres mots : les extraits restent dans le cache du modèle). Si le modèle dit le plus souvent autre chose ou ne trouve pas de réponse, la réponse est marquée instable : elle est peut-être devinée parmi les extraits.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Ask again to test the answer</source>
        <translation>Reposer la question pour tester la réponse</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Automatic: on for this model (%1)</source>
        <translation>Automatique : activé pour ce modèle (%1)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Automatic: off for this model (%1; on from 1.5B)</source>
        <translation>Automatique : désactivé pour ce modèle (%1 ; activé dès 1,5B)</translation>
    </message>
</context>
<context>
    <name>AskController</name>
    <message>
        <location filename="../../src/desktop_rag/qt/ask_controller.py" line="+68"/>
        <source>Choose a model in the Settings tab first (or pull one: Settings &gt; Pull a model...).</source>
        <translation>Choisissez d&apos;abord un modèle dans l&apos;onglet Paramètres (ou téléchargez-en un&#xa0;: Paramètres &gt; Télécharger un modèle…).</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Answer %1</source>
        <translation>Réponse %1</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Answered in %1 s</source>
        <translation>Réponse en %1 s</translation>
    </message>
</context>
<context>
    <name>ChatPanel</name>
    <message>
        <location filename="../../src/desktop_rag/qt/chat_panel.py" line="+73"/>
        <source>the model found no answer, but its check says that [%1] holds one: asking again with that passage alone... (Esc stops)</source>
        <translation>le modèle n&apos;a pas trouvé de réponse, mais sa vérification dit que [%1] en contient une&#xa0;: nouvelle question avec cet extrait seul… (Échap pour arrêter)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>checking the answer with the model... (Esc skips)</source>
        <translation>vérification de la réponse par le modèle… (Échap pour passer)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>asking the question again %1 times to test the answer... (Esc skips)</source>
        <translation>question reposée %1 fois pour tester la réponse… (Échap pour passer)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>writing... (Esc stops)</source>
        <translation>rédaction… (Échap pour arrêter)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>first token %1 s</source>
        <translation>premier jeton en %1 s</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 tokens/s</source>
        <translation>%1 jetons/s</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>perplexity %1</source>
        <translation>perplexité %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>⚠ nothing relevant in the documents: the model was not asked</source>
        <translation>⚠ rien de pertinent dans les documents&#xa0;: le modèle n&apos;a pas été interrogé</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>⚠ %n passage(s) left out: context full</source>
        <translation>
            <numerusform>⚠ %n extrait laissé de côté&#xa0;: contexte plein</numerusform>
            <numerusform>⚠ %n extraits laissés de côté&#xa0;: contexte plein</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>⚠ %n earlier exchange(s) left out: context full</source>
        <translation>
            <numerusform>⚠ %n échange précédent laissé de côté&#xa0;: contexte plein</numerusform>
            <numerusform>⚠ %n échanges précédents laissés de côté&#xa0;: contexte plein</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>⚠ %1 match no passage</source>
        <translation>⚠ aucun extrait ne correspond à %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>stopped</source>
        <translation>arrêtée</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>⚠ incomplete: %1</source>
        <translation>⚠ réponse incomplète&#xa0;: %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>You:</source>
        <translation>Vous&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Passages and prompt</source>
        <translation>Extraits et prompt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Copy</source>
        <translation>Copier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Asked again</source>
        <translation>Reposée</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>New conversation</source>
        <translation>Nouvelle conversation</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export...</source>
        <translation>Exporter…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save this conversation as Markdown, with its sources and settings</source>
        <translation>Enregistrer cette conversation en Markdown, avec ses sources et ses paramètres</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Ask a question about your documents. The answer cites the passages it used as [1], [2]...: click one to see it in its document.</source>
        <translation>Posez une question sur vos documents. La réponse cite les extraits utilisés sous la forme [1], [2]…&#xa0;: cliquez sur l&apos;un d&apos;eux pour le voir dans son document.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Your question (Ctrl+Enter sends)</source>
        <translation>Votre question (Ctrl+Entrée pour envoyer)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Send</source>
        <translation>Envoyer</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Stop</source>
        <translation>Arrêter</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Conversation:</source>
        <translation>Conversation&#xa0;:</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>(new conversation)</source>
        <translation>(nouvelle conversation)</translation>
    </message>
</context>
<context>
    <name>ChunksTab</name>
    <message>
        <location filename="../../src/desktop_rag/qt/chunks_tab.py" line="+34"/>
        <source>By title / section</source>
        <translation>Par titre / section</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>By page</source>
        <translation>Par page</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fixed token windows</source>
        <translation>Fenêtres de jetons fixes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>By separator</source>
        <translation>Par séparateur</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>by title/section</source>
        <translation>par titre/section</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>by page</source>
        <translation>par page</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>fixed token windows</source>
        <translation>fenêtres de jetons fixes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>by paragraph</source>
        <translation>par paragraphe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>by sentence</source>
        <translation>par phrase</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1, up to %2 tokens</source>
        <translation>%1, jusqu&apos;à %2 jetons</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>, overlap %1</source>
        <translation>, chevauchement de %1</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Select a document in the library to see its chunks.</source>
        <translation>Sélectionnez un document de la bibliothèque pour voir ses segments.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Search in the chunks (Ctrl+F)</source>
        <translation>Rechercher dans les segments (Ctrl+F)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>#</source>
        <translation>N°</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Page</source>
        <translation>Page</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Section</source>
        <translation>Section</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Tokens</source>
        <translation>Jetons</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Text</source>
        <translation>Texte</translation>
    </message>
    <message>
        <location line="+17"/>
        <source> tokens</source>
        <translation> jetons</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> overlap</source>
        <translation> de chevauchement</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>paragraphs</source>
        <translation>paragraphes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>sentences</source>
        <translation>phrases</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Preview</source>
        <translation>Aperçu</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Re-chunk</source>
        <translation>Redécouper</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Replace this document&apos;s chunks with the previewed ones (embeds them again)</source>
        <translation>Remplacer les segments de ce document par ceux de l&apos;aperçu (ils sont de nouveau vectorisés)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Library default</source>
        <translation>Découpage de la bibliothèque</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Put back the library&apos;s chunking settings</source>
        <translation>Revenir au découpage défini pour la bibliothèque</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Chunks</source>
        <translation>Segments</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Summary tree</source>
        <translation>Arbre de résumés</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>its own settings</source>
        <translation>son propre découpage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the library&apos;s settings</source>
        <translation>le découpage de la bibliothèque</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%1: %n chunks, %2 (%3)</source>
        <translation>
            <numerusform>%1&#xa0;: %n segment, %2 (%3)</numerusform>
            <numerusform>%1&#xa0;: %n segments, %2 (%3)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+16"/>
        <source>Preview for %1: %n chunks, %2 — nothing is changed until you press Re-chunk</source>
        <translation>
            <numerusform>Aperçu pour %1&#xa0;: %n segment, %2 — rien ne change tant que vous n&apos;appuyez pas sur Redécouper</numerusform>
            <numerusform>Aperçu pour %1&#xa0;: %n segments, %2 — rien ne change tant que vous n&apos;appuyez pas sur Redécouper</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+46"/>
        <source>%n chunk(s) contain it</source>
        <translation>
            <numerusform>%n segment le contient</numerusform>
            <numerusform>%n segments le contiennent</numerusform>
        </translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Cutting a preview...</source>
        <translation>Découpage de l&apos;aperçu…</translation>
    </message>
</context>
<context>
    <name>ConversationController</name>
    <message>
        <location filename="../../src/desktop_rag/qt/conversation_controller.py" line="+76"/>
        <source>Nothing to export yet: ask a question first.</source>
        <translation>Rien à exporter pour l&apos;instant&#xa0;: posez d&apos;abord une question.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>conversation</source>
        <translation>conversation</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export conversation</source>
        <translation>Exporter la conversation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Saved %1</source>
        <translation>Enregistré&#xa0;: %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Answer %1</source>
        <translation>Réponse %1</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>[%1] matches no passage of this answer</source>
        <translation>[%1] ne correspond à aucun extrait de cette réponse</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>This summary&apos;s document is no longer in the library</source>
        <translation>Le document de ce résumé n&apos;est plus dans la bibliothèque</translation>
    </message>
</context>
<context>
    <name>DocumentsController</name>
    <message>
        <location filename="../../src/desktop_rag/qt/documents_controller.py" line="+66"/>
        <source>Remove documents</source>
        <translation>Retirer des documents</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove these documents and their chunks from the library? The files themselves are not touched.

%1</source>
        <translation>Retirer ces documents et leurs segments de la bibliothèque&#xa0;? Les fichiers eux-mêmes ne sont pas modifiés.

%1</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Re-chunking %1: embedding %2/%3</source>
        <translation>Redécoupage de %1&#xa0;: vectorisation %2/%3</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 now has %2 chunks.</source>
        <translation>%1 compte désormais %2 segments.</translation>
    </message>
</context>
<context>
    <name>DocumentsModel</name>
    <message>
        <location filename="../../src/desktop_rag/qt/library_panel.py" line="+54"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pages</source>
        <translation>Pages</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chunks</source>
        <translation>Segments</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>imported</source>
        <translation>importé</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>skipped: duplicate</source>
        <translation>ignoré&#xa0;: doublon</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>failed</source>
        <translation>échec</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Failed: %1</source>
        <translation>Échec&#xa0;: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Skipped: same content as %1</source>
        <translation>Ignoré&#xa0;: même contenu que %1</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n chunks</source>
        <translation>
            <numerusform>%n segment</numerusform>
            <numerusform>%n segments</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>, %n pages</source>
        <translation>
            <numerusform>, %n page</numerusform>
            <numerusform>, %n pages</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>GenerationPanel</name>
    <message>
        <location filename="../../src/desktop_rag/qt/generation_panel.py" line="+99"/>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Chat model</source>
        <translation>Modèle de conversation</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Refresh</source>
        <translation>Actualiser</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>List the models installed in Ollama again.</source>
        <translation>Lister de nouveau les modèles installés dans Ollama.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pull a model…</source>
        <translation>Télécharger un modèle…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Download a model from the Ollama library.</source>
        <translation>Télécharger un modèle depuis la bibliothèque d&apos;Ollama.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Sampling</source>
        <translation>Échantillonnage</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Temperature</source>
        <translation>Température</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Higher = more varied, lower = more focused and repeatable.</source>
        <translation>Plus haut = plus varié&#xa0;; plus bas = plus ciblé et reproductible.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sample only among the most likely tokens whose probabilities add up to this share.</source>
        <translation>Tirer uniquement parmi les jetons les plus probables dont les probabilités cumulées atteignent cette part.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sample only among this many most likely tokens.</source>
        <translation>Tirer uniquement parmi ce nombre de jetons, les plus probables.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The longest answer, in tokens; a longer one is cut and marked as such.</source>
        <translation>La longueur maximale de la réponse, en jetons&#xa0;; une réponse plus longue est coupée et signalée comme telle.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Max tokens</source>
        <translation>Jetons max.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Tokens the model reads at once: instructions, passages, earlier turns and the answer. More fits more passages but needs more memory.</source>
        <translation>Nombre de jetons que le modèle lit d&apos;un coup&#xa0;: instructions, extraits, échanges précédents et réponse. Plus il est grand, plus il tient d&apos;extraits, mais plus il faut de mémoire.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Context length</source>
        <translation>Longueur du contexte</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fixed seed</source>
        <translation>Graine fixe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The same seed and settings give the same answer.</source>
        <translation>La même graine avec les mêmes réglages donne la même réponse.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Seed</source>
        <translation>Graine</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Token probabilities</source>
        <translation>Probabilités des jetons</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ask the model how sure it was of each word, and show the alternatives.</source>
        <translation>Demander au modèle à quel point il était sûr de chaque mot, et afficher les alternatives.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Retrieval</source>
        <translation>Recherche des extraits</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Hybrid: meaning and key words</source>
        <translation>Hybride&#xa0;: sens et mots-clés</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Meaning only</source>
        <translation>Sens uniquement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Key words only</source>
        <translation>Mots-clés uniquement</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Search</source>
        <translation>Méthode</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>How many passages are given to the model at most.</source>
        <translation>Nombre maximal d&apos;extraits fournis au modèle.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Passages</source>
        <translation>Extraits</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search the summary trees too</source>
        <translation>Chercher aussi dans les arbres de résumés</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Documents with a summary tree (Build summary tree, in a document&apos;s menu) are searched at every level: a question about a whole part finds its summary.</source>
        <translation>Les documents qui ont un arbre de résumés (Construire l&apos;arbre de résumés, dans le menu d&apos;un document) sont cherchés à chaque niveau&#xa0;: une question sur toute une partie trouve son résumé.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Same as the question</source>
        <translation>Langue de la question</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>English</source>
        <translation>Anglais</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>French</source>
        <translation>Français</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Same as the question: the prompt is in the language of each question, or in the language of this window when a question is too short to tell.</source>
        <translation>Langue de la question&#xa0;: le prompt est dans la langue de chaque question, ou dans celle de cette fenêtre quand une question est trop courte pour en juger.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Answer in</source>
        <translation>Répondre en</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>None</source>
        <translation>Aucune</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Under the passages, quote this many of their sentences closest to the question (by shared words and meaning). Small models often answer from the wrong sentence; pointing them to the likely one helps them find the answer. The Prompt tab shows the sentences.</source>
        <translation>Sous les passages, citer ce nombre de leurs phrases les plus proches de la question (par les mots en commun et le sens). Les petits modèles répondent souvent à partir de la mauvaise phrase ; leur indiquer la plus probable les aide à trouver la réponse. L'onglet Prompt montre ces phrases.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Sentences pointed out</source>
        <translation>Phrases indiquées</translation>
    </message>
    <message>
        <location line="+113"/>
        <source>{name} (not installed)</source>
        <translation>{name} (non installé)</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>{name}  (about {size})</source>
        <translation>{name}  (environ {size})</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Pull a model</source>
        <translation>Télécharger un modèle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name of a model of the Ollama library (choose or type one):</source>
        <translation>Nom d&apos;un modèle de la bibliothèque Ollama (choisissez-en un ou saisissez-le)&#xa0;:</translation>
    </message>
</context>
<context>
    <name>ImportController</name>
    <message>
        <location filename="../../src/desktop_rag/qt/import_controller.py" line="+38"/>
        <source>Add documents</source>
        <translation>Ajouter des documents</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Add a folder of documents</source>
        <translation>Ajouter un dossier de documents</translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>%n more item(s) will be imported next</source>
        <translation>
            <numerusform>%n élément de plus sera importé ensuite</numerusform>
            <numerusform>%n éléments de plus seront importés ensuite</numerusform>
        </translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Import running</source>
        <translation>Import en cours</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>An import is running. Stop it and quit? Files already imported are kept.</source>
        <translation>Un import est en cours. L&apos;arrêter et quitter&#xa0;? Les fichiers déjà importés sont conservés.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>The import stopped: %1. Documents imported before this are kept.</source>
        <translation>L&apos;import s&apos;est arrêté&#xa0;: %1. Les documents importés auparavant sont conservés.</translation>
    </message>
</context>
<context>
    <name>ImportReason</name>
    <message>
        <location filename="../../src/desktop_rag/qt/reasons.py" line="+20"/>
        <source>encrypted: password required</source>
        <translation>chiffré&#xa0;: mot de passe requis</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unsupported type: audio (speech is not transcribed)</source>
        <translation>type non pris en charge&#xa0;: audio (la parole n&apos;est pas transcrite)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unsupported type: video (speech is not transcribed)</source>
        <translation>type non pris en charge&#xa0;: vidéo (la parole n&apos;est pas transcrite)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unsupported type: %1 (its reader is not installed)</source>
        <translation>type non pris en charge&#xa0;: %1 (son lecteur n&apos;est pas installé)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unsupported type: %1 (images need OCR, which is turned off in this library&apos;s settings)</source>
        <translation>type non pris en charge&#xa0;: %1 (les images demandent une reconnaissance de caractères, désactivée dans les paramètres de cette bibliothèque)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>unsupported type: %1</source>
        <translation>type non pris en charge&#xa0;: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no text layer: the %1 scanned page(s) need OCR, which is turned off in this library&apos;s settings</source>
        <translation>pas de couche de texte&#xa0;: les %1 page(s) numérisée(s) demandent une reconnaissance de caractères, désactivée dans les paramètres de cette bibliothèque</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>OCR needs Tesseract, which is not installed; install it with: sudo apt-get install %1</source>
        <translation>la reconnaissance de caractères demande Tesseract, qui n&apos;est pas installé&#xa0;; installez-le avec&#xa0;: sudo apt-get install %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>OCR needs Tesseract&apos;s English and French data, which are not installed; install them with: sudo apt-get install %1</source>
        <translation>la reconnaissance de caractères demande les données anglaises et françaises de Tesseract, qui ne sont pas installées&#xa0;; installez-les avec&#xa0;: sudo apt-get install %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>damaged text file: its characters cannot be decoded</source>
        <translation>fichier texte endommagé&#xa0;: ses caractères ne peuvent pas être décodés</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>damaged PDF: the file is not a valid PDF</source>
        <translation>PDF endommagé&#xa0;: le fichier n&apos;est pas un PDF valide</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>damaged PDF: its encryption scheme is not supported</source>
        <translation>PDF endommagé&#xa0;: son mode de chiffrement n&apos;est pas pris en charge</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>damaged PDF: the file cannot be read</source>
        <translation>PDF endommagé&#xa0;: le fichier ne peut pas être lu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>damaged PDF: PDFium cannot open it</source>
        <translation>PDF endommagé&#xa0;: PDFium ne peut pas l&apos;ouvrir</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>damaged archive: its content cannot be read</source>
        <translation>archive endommagée&#xa0;: son contenu ne peut pas être lu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>damaged %1: its content cannot be read</source>
        <translation>%1 endommagé&#xa0;: son contenu ne peut pas être lu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>archive refused: it holds more than %1 files</source>
        <translation>archive refusée&#xa0;: elle contient plus de %1 fichiers</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>archive refused: it would unpack to more than %1 GB</source>
        <translation>archive refusée&#xa0;: décompressée, elle dépasserait %1 Go</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>archive refused: a file in it is compressed more than %1 times, as archive bombs are</source>
        <translation>archive refusée&#xa0;: un de ses fichiers est compressé plus de %1 fois, comme dans les bombes de décompression</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>archive refused: archives are nested more than %1 deep in it</source>
        <translation>archive refusée&#xa0;: elle imbrique des archives sur plus de %1 niveaux</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>archive refused: a file in it is larger than its archive says</source>
        <translation>archive refusée&#xa0;: un de ses fichiers est plus gros que ce qu&apos;elle annonce</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>empty: the file is empty (0 bytes)</source>
        <translation>vide&#xa0;: le fichier est vide (0 octet)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>empty: no text was found in it</source>
        <translation>vide&#xa0;: aucun texte n&apos;y a été trouvé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>empty: the file holds no text</source>
        <translation>vide&#xa0;: le fichier ne contient pas de texte</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>empty: OCR found no text in it</source>
        <translation>vide&#xa0;: la reconnaissance de caractères n&apos;y a trouvé aucun texte</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cancelled</source>
        <translation>annulé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>legacy .%1 file: converting it needs LibreOffice, which is not installed; install LibreOffice or save the file as %2</source>
        <translation>ancien fichier .%1&#xa0;: sa conversion demande LibreOffice, qui n&apos;est pas installé&#xa0;; installez LibreOffice ou enregistrez le fichier en %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>not found: no file or folder at this path</source>
        <translation>introuvable&#xa0;: aucun fichier ni dossier à cet emplacement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot read the file: permission denied</source>
        <translation>lecture du fichier impossible&#xa0;: permission refusée</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot read the file: it was removed during the import</source>
        <translation>lecture du fichier impossible&#xa0;: il a été supprimé pendant l&apos;import</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot read the file: it is a folder</source>
        <translation>lecture du fichier impossible&#xa0;: c&apos;est un dossier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot read the file: the system refused to read it</source>
        <translation>lecture du fichier impossible&#xa0;: le système en refuse la lecture</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>internal error while reading it; the log has the details</source>
        <translation>erreur interne pendant sa lecture&#xa0;; le journal donne les détails</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>internal error while storing it; the log has the details</source>
        <translation>erreur interne pendant son enregistrement&#xa0;; le journal donne les détails</translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <location filename="../../src/desktop_rag/qt/i18n.py" line="+107"/>
        <source>&amp;Language</source>
        <translation>&amp;Langue</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>System (%1)</source>
        <translation>Système (%1)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The new language applies the next time desktop-rag starts.</source>
        <translation>La nouvelle langue s&apos;appliquera au prochain démarrage de desktop-rag.</translation>
    </message>
</context>
<context>
    <name>LanguageNotice</name>
    <message>
        <location filename="../../src/desktop_rag/qt/language_notice.py" line="+50"/>
        <source>English</source>
        <translation>anglais</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>French</source>
        <translation>français</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 of your %2 documents are in %3.</source>
        <translation>%1 de vos %2 documents sont en %3.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This library is set up for %1: its keyword search cuts words to their stems the %1 way. &quot;Search in %2&quot; rebuilds it for %2 (it takes a few seconds).</source>
        <translation>Cette bibliothèque est réglée pour la langue suivante&#xa0;: %1&#xa0;; sa recherche par mots-clés ramène les mots à leur racine comme en %1. «&#xa0;Rechercher en %2&#xa0;» la reconstruit pour le %2 (quelques secondes).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The embedding model, %1, reads English only: search by meaning works poorly on these documents, so keyword search ranks the passages. A multilingual model does better. Switch with the command line, which re-embeds the library:
    desktop-rag library set-model PATH-OR-NAME
with any sentence-transformers model (a local folder or a name, for example paraphrase-multilingual-MiniLM-L12-v2), or with ollama:bge-m3 after &quot;ollama pull bge-m3&quot;.</source>
        <translation>Le modèle d&apos;embedding, %1, ne lit que l&apos;anglais&#xa0;: la recherche par le sens fonctionne mal sur ces documents, c&apos;est donc la recherche par mots-clés qui classe les passages. Un modèle multilingue fait mieux. Changez de modèle en ligne de commande, ce qui recalcule les vecteurs de la bibliothèque&#xa0;:
    desktop-rag library set-model CHEMIN-OU-NOM
avec n&apos;importe quel modèle sentence-transformers (un dossier local ou un nom, par exemple paraphrase-multilingual-MiniLM-L12-v2), ou avec ollama:bge-m3 après «&#xa0;ollama pull bge-m3&#xa0;».</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+28"/>
        <source>Language of your documents</source>
        <translation>Langue de vos documents</translation>
    </message>
    <message>
        <location line="-24"/>
        <source>Search in %1</source>
        <translation>Rechercher en %1</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Keyword search now reads %1.</source>
        <translation>La recherche par mots-clés lit désormais le %1.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The search could not be rebuilt: %1</source>
        <translation>La recherche n&apos;a pas pu être reconstruite&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>LibraryController</name>
    <message>
        <location filename="../../src/desktop_rag/qt/library_controller.py" line="+48"/>
        <source>Busy</source>
        <translation>Occupé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Wait for the import or the answer to finish (or stop it) before switching libraries.</source>
        <translation>Attendez la fin de l&apos;import ou de la réponse (ou arrêtez-les) avant de changer de bibliothèque.</translation>
    </message>
    <message>
        <location line="+25"/>
        <location line="+7"/>
        <source>New library</source>
        <translation>Nouvelle bibliothèque</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>Name of the new library (letters, digits, spaces, &apos;.&apos;, &apos;-&apos;, &apos;_&apos;):</source>
        <translation>Nom de la nouvelle bibliothèque (lettres, chiffres, espaces, «&#xa0;.&#xa0;», «&#xa0;-&#xa0;», «&#xa0;_&#xa0;»)&#xa0;:</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>%1 documents · %2 chunks</source>
        <translation>%1 documents · %2 segments</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Could not read the library: %1</source>
        <translation>Impossible de lire la bibliothèque&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>LibraryPanel</name>
    <message>
        <location filename="../../src/desktop_rag/qt/library_panel.py" line="-77"/>
        <source>checking</source>
        <translation>vérification</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>reading</source>
        <translation>lecture</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cutting into chunks</source>
        <translation>découpage en segments</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>embedding</source>
        <translation>vectorisation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>saving</source>
        <translation>enregistrement</translation>
    </message>
    <message>
        <location line="+127"/>
        <source>Filter documents</source>
        <translation>Filtrer les documents</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Add files...</source>
        <translation>Ajouter des fichiers…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Opening the library...</source>
        <translation>Ouverture de la bibliothèque…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Drop documents here

PDF, Word, PowerPoint, spreadsheets, web pages, e-mails, e-books, text... or whole folders.
They stay on this computer.</source>
        <translation>Déposez vos documents ici

PDF, Word, PowerPoint, tableurs, pages web, e-mails, livres numériques, texte… ou des dossiers entiers.
Ils restent sur cet ordinateur.</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>Details...</source>
        <translation>Détails…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Re-index</source>
        <translation>Réindexer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Build summary tree</source>
        <translation>Construire l&apos;arbre de résumés</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove summary tree</source>
        <translation>Supprimer l&apos;arbre de résumés</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove from library</source>
        <translation>Retirer de la bibliothèque</translation>
    </message>
    <message numerus="yes">
        <location line="+13"/>
        <source>Looking at %n file(s)...</source>
        <translation>
            <numerusform>Examen de %n fichier…</numerusform>
            <numerusform>Examen de %n fichiers…</numerusform>
        </translation>
    </message>
    <message>
        <location line="+12"/>
        <source>embedding %1/%2 chunks</source>
        <translation>vectorisation des segments %1/%2</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>reading page %1 of %2 (OCR)</source>
        <translation>lecture de la page %1 sur %2 (reconnaissance de caractères)</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Cancelling after the current step... files already imported are kept.</source>
        <translation>Annulation après l&apos;étape en cours… les fichiers déjà importés sont conservés.</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>%n imported (%1)</source>
        <translation>
            <numerusform>%n importé (%1)</numerusform>
            <numerusform>%n importés (%1)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n chunks</source>
        <translation>
            <numerusform>%n segment</numerusform>
            <numerusform>%n segments</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n skipped</source>
        <translation>
            <numerusform>%n ignoré</numerusform>
            <numerusform>%n ignorés</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n failed</source>
        <translation>
            <numerusform>%n en échec</numerusform>
            <numerusform>%n en échec</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 in %2 s</source>
        <translation>%1 en %2 s</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cancelled: %1</source>
        <translation>Annulé&#xa0;: %1</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>… and %n more</source>
        <translation>
            <numerusform>… et %n autre</numerusform>
            <numerusform>… et %n autres</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../src/desktop_rag/qt/main_window.py" line="+104"/>
        <source>Passages</source>
        <translation>Extraits</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chunks</source>
        <translation>Segments</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tokens</source>
        <translation>Jetons</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Source</source>
        <translation>Source</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>Add files...</source>
        <translation>Ajouter des fichiers…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add folder...</source>
        <translation>Ajouter un dossier…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>New library...</source>
        <translation>Nouvelle bibliothèque…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export conversation...</source>
        <translation>Exporter la conversation…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ollama server...</source>
        <translation>Serveur Ollama…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search chunks</source>
        <translation>Rechercher dans les segments</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check search quality...</source>
        <translation>Vérifier la qualité de la recherche…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ollama help</source>
        <translation>Aide sur Ollama</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Library</source>
        <translation>&amp;Bibliothèque</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Edit</source>
        <translation>É&amp;dition</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Help</source>
        <translation>&amp;Aide</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Library</source>
        <translation>Bibliothèque</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> Library: </source>
        <translation> Bibliothèque&#xa0;: </translation>
    </message>
    <message>
        <location line="+81"/>
        <source>Embeddings: %1</source>
        <translation>Vectorisation&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>OllamaController</name>
    <message>
        <location filename="../../src/desktop_rag/qt/ollama_controller.py" line="+99"/>
        <location line="+12"/>
        <source>Ollama server</source>
        <translation>Serveur Ollama</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>Address of the Ollama server (empty: OLLAMA_HOST or this computer):</source>
        <translation>Adresse du serveur Ollama (vide&#xa0;: OLLAMA_HOST ou cet ordinateur)&#xa0;:</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Download cancelled</source>
        <translation>Téléchargement annulé</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 is ready</source>
        <translation>%1 est prêt</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Settings not saved: %1</source>
        <translation>Paramètres non enregistrés&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>OllamaSetupDialog</name>
    <message>
        <location filename="../../src/desktop_rag/qt/ollama_setup.py" line="+98"/>
        <source>Ollama</source>
        <translation>Ollama</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Don&apos;t show this at start</source>
        <translation>Ne plus afficher au démarrage</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Ollama on another computer, such as a GPU server on your network: enter its address below and press Retry. There, Ollama must listen on the network (start it with OLLAMA_HOST=0.0.0.0).</source>
        <translation>Ollama sur un autre ordinateur, par exemple un serveur GPU de votre réseau&#xa0;: saisissez son adresse ci-dessous et appuyez sur Réessayer. Sur cet ordinateur, Ollama doit écouter sur le réseau (lancez-le avec OLLAMA_HOST=0.0.0.0).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Without Ollama you can still import documents, browse their chunks and search them.</source>
        <translation>Sans Ollama, vous pouvez tout de même importer des documents, parcourir leurs segments et y faire des recherches.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>about %1</source>
        <translation>environ %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Another model of the Ollama library: use Pull a model… in the Settings tab.</source>
        <translation>Un autre modèle de la bibliothèque d&apos;Ollama&#xa0;: utilisez «&#xa0;Télécharger un modèle…&#xa0;» dans l&apos;onglet Paramètres.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Download</source>
        <translation>Télécharger</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancel download</source>
        <translation>Annuler le téléchargement</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Ollama server</source>
        <translation>Serveur Ollama</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Address of the Ollama server</source>
        <translation>Adresse du serveur Ollama</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>host:port, for example 192.168.1.20:11434</source>
        <translation>hôte:port, par exemple 192.168.1.20:11434</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+29"/>
        <source>Retry</source>
        <translation>Réessayer</translation>
    </message>
    <message>
        <location line="-28"/>
        <source>Look for Ollama at this address.</source>
        <translation>Chercher Ollama à cette adresse.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Continue without Ollama</source>
        <translation>Continuer sans Ollama</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connect</source>
        <translation>Se connecter</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>desktop-rag cannot reach Ollama</source>
        <translation>desktop-rag ne trouve pas Ollama</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>desktop-rag writes its answers with a language model, run by Ollama: a free program, on this computer or on another one of your network. It looked for Ollama at %1 and found nothing there.</source>
        <translation>desktop-rag rédige ses réponses avec un modèle de langage exécuté par Ollama, un programme gratuit, sur cet ordinateur ou sur un autre de votre réseau. Il a cherché Ollama à l&apos;adresse %1 et n&apos;y a rien trouvé.</translation>
    </message>
    <message>
        <location line="-102"/>
        <source>Installing Ollama on %1</source>
        <translation>Installer Ollama sous %1</translation>
    </message>
    <message>
        <location filename="../../src/desktop_rag/qt/ollama_help.py" line="+22"/>
        <source>The smallest and fastest: short, simple answers. Runs on any laptop.</source>
        <translation>Le plus petit et le plus rapide&#xa0;: réponses courtes et simples. Tourne sur n&apos;importe quel portable.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Fast, and good in French and many other languages. A good first choice.</source>
        <translation>Rapide, et bon en français comme dans beaucoup d&apos;autres langues. Un bon premier choix.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Fast, for short factual answers.</source>
        <translation>Rapide, pour des réponses factuelles courtes.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Careful, well-written answers, best in English.</source>
        <translation>Des réponses soignées et bien rédigées, surtout en anglais.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The best answers of these, a little slower. Wants 8 GB of memory.</source>
        <translation>Les meilleures réponses de cette liste, un peu plus lentes. Demande 8 Go de mémoire.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Run this in a terminal:
    curl -fsSL https://ollama.com/install.sh | sh
The installer sets Ollama up as a service that starts with the computer. If Ollama is installed but not running, start it with:
    ollama serve</source>
        <translation>Lancez ceci dans un terminal&#xa0;:
    curl -fsSL https://ollama.com/install.sh | sh
L&apos;installateur configure Ollama comme un service qui démarre avec l&apos;ordinateur. Si Ollama est installé mais ne tourne pas, démarrez-le avec&#xa0;:
    ollama serve</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Download Ollama from https://ollama.com/download, move it to the Applications folder and open it. Leave it running: its icon sits in the menu bar, and it starts again when you log in.</source>
        <translation>Téléchargez Ollama sur https://ollama.com/download, placez-le dans le dossier Applications et ouvrez-le. Laissez-le tourner&#xa0;: son icône se trouve dans la barre des menus, et il redémarre à chaque ouverture de session.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Download the installer from https://ollama.com/download and run it. Ollama then runs in the background, with its icon in the notification area, and starts with Windows. If it is not running, open Ollama from the Start menu.</source>
        <translation>Téléchargez le programme d&apos;installation sur https://ollama.com/download et lancez-le. Ollama tourne ensuite en arrière-plan, avec son icône dans la zone de notification, et démarre avec Windows. S&apos;il ne tourne pas, ouvrez Ollama depuis le menu Démarrer.</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>%1 GB</source>
        <translation>%1 Go</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 MB</source>
        <translation>%1 Mo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 kB</source>
        <translation>%1 ko</translation>
    </message>
    <message>
        <location filename="../../src/desktop_rag/qt/ollama_setup.py" line="+106"/>
        <source>Ollama has no model yet</source>
        <translation>Ollama n&apos;a encore aucun modèle</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ollama answers at %1, but has no language model to write answers with. Choose one to download: smaller models answer faster, larger ones better. It is downloaded once, onto the computer that runs Ollama.</source>
        <translation>Ollama répond à l&apos;adresse %1, mais n&apos;a aucun modèle de langage pour rédiger les réponses. Choisissez-en un à télécharger&#xa0;: les petits modèles répondent plus vite, les grands répondent mieux. Il est téléchargé une seule fois, sur l&apos;ordinateur où tourne Ollama.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Ollama is ready</source>
        <translation>Ollama est prêt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>desktop-rag uses Ollama %1 at %2, and %3 writes the answers. Choose another model in the Settings tab.</source>
        <translation>desktop-rag utilise Ollama %1 à l&apos;adresse %2, et c&apos;est %3 qui rédige les réponses. Choisissez un autre modèle dans l&apos;onglet Paramètres.</translation>
    </message>
    <message>
        <location filename="../../src/desktop_rag/qt/ollama_help.py" line="-16"/>
        <source>&quot;%1&quot; is not a server address: write host:port, for example 192.168.1.20:11434, or a URL such as http://gpu-server:11434.</source>
        <translation>«&#xa0;%1&#xa0;» n&apos;est pas une adresse de serveur&#xa0;: écrivez hôte:port, par exemple 192.168.1.20:11434, ou une URL comme http://serveur-gpu:11434.</translation>
    </message>
    <message>
        <location filename="../../src/desktop_rag/qt/ollama_setup.py" line="+27"/>
        <source>Enter the address of the Ollama server.</source>
        <translation>Saisissez l&apos;adresse du serveur Ollama.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Checking %1…</source>
        <translation>Vérification de %1…</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Connected: Ollama %1 at %2.</source>
        <translation>Connecté&#xa0;: Ollama %1 à l&apos;adresse %2.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Nothing answers at %1. Check the address, and that Ollama runs there and listens on the network.</source>
        <translation>Rien ne répond à l&apos;adresse %1. Vérifiez l&apos;adresse, et qu&apos;Ollama y tourne et écoute sur le réseau.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No Ollama at %1: %2</source>
        <translation>Pas d&apos;Ollama à l&apos;adresse %1&#xa0;: %2</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Starting the download of %1…</source>
        <translation>Début du téléchargement de %1…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Downloading %1: %2 of %3</source>
        <translation>Téléchargement de %1&#xa0;: %2 sur %3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Checking the download of %1…</source>
        <translation>Vérification du téléchargement de %1…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The download failed: %1</source>
        <translation>Le téléchargement a échoué&#xa0;: %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The download was cancelled.</source>
        <translation>Le téléchargement a été annulé.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 is downloaded; it is selected for this library.</source>
        <translation>%1 est téléchargé&#xa0;; il est choisi pour cette bibliothèque.</translation>
    </message>
</context>
<context>
    <name>OllamaStatus</name>
    <message>
        <location filename="../../src/desktop_rag/qt/ollama_status.py" line="+16"/>
        <source>Ollama is not running at %1: install it from https://ollama.com/download, start it with `ollama serve` (or open the Ollama desktop app), or set another host in the settings or with the OLLAMA_HOST environment variable</source>
        <translation>Ollama n&apos;est pas lancé à l&apos;adresse %1&#xa0;: installez-le depuis https://ollama.com/download, démarrez-le avec `ollama serve` (ou ouvrez l&apos;application Ollama), ou indiquez un autre hôte dans les paramètres ou avec la variable d&apos;environnement OLLAMA_HOST</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Ollama: checking...</source>
        <translation>Ollama&#xa0;: vérification…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Help</source>
        <translation>Aide</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Retry</source>
        <translation>Réessayer</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Ollama: checking %1...</source>
        <translation>Ollama&#xa0;: vérification de %1…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Ollama %1 at %2</source>
        <translation>Ollama %1 sur %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> · no model yet: pull one in Settings</source>
        <translation> · aucun modèle pour l&apos;instant&#xa0;: téléchargez-en un dans Paramètres</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Ollama is not running</source>
        <translation>Ollama n&apos;est pas lancé</translation>
    </message>
</context>
<context>
    <name>PassagesTab</name>
    <message>
        <location filename="../../src/desktop_rag/qt/inspector.py" line="+59"/>
        <source>p. %1</source>
        <translation>p. %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>pp. %1-%2</source>
        <translation>p. %1-%2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>[Summary, level %1] </source>
        <translation>[Résumé, niveau %1] </translation>
    </message>
    <message>
        <location line="+8"/>
        <source>#</source>
        <translation>Rang</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In prompt</source>
        <translation>Dans le prompt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Document</source>
        <translation>Document</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Page</source>
        <translation>Page</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cosine</source>
        <translation>Cosinus</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Fused</source>
        <translation>Fusionné</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Text</source>
        <translation>Texte</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Ask a question: the passages retrieved for the selected answer appear here, with their scores.</source>
        <translation>Posez une question&#xa0;: les extraits retrouvés pour la réponse sélectionnée s&apos;affichent ici, avec leurs scores.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Open in its document</source>
        <translation>Ouvrir dans son document</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Show what it summarises</source>
        <translation>Montrer ce qu&apos;il résume</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>List the passages this summary was written from, below it</source>
        <translation>Lister en dessous les passages à partir desquels ce résumé a été écrit</translation>
    </message>
    <message numerus="yes">
        <location line="+21"/>
        <source>%n passage(s) retrieved</source>
        <translation>
            <numerusform>%n extrait retrouvé</numerusform>
            <numerusform>%n extraits retrouvés</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n in the prompt</source>
        <translation>
            <numerusform>%n dans le prompt</numerusform>
            <numerusform>%n dans le prompt</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>none reached the relevance threshold</source>
        <translation>aucun n&apos;atteint le seuil de pertinence</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>yes</source>
        <translation>oui</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>no</source>
        <translation>non</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>dense rank %1, BM25 rank %2</source>
        <translation>rang dense %1, rang BM25 %2</translation>
    </message>
</context>
<context>
    <name>PromptTab</name>
    <message>
        <location line="+42"/>
        <source>System prompt</source>
        <translation>Prompt système</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Earlier exchanges</source>
        <translation>Échanges précédents</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Passages</source>
        <translation>Extraits</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Question</source>
        <translation>Question</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reserved for the answer</source>
        <translation>Réservé à la réponse</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Room left</source>
        <translation>Place restante</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Context length (num_ctx)</source>
        <translation>Longueur du contexte (num_ctx)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The exact messages sent to the model for the selected answer appear here.</source>
        <translation>Les messages exacts envoyés au modèle pour la réponse sélectionnée s&apos;affichent ici.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Part</source>
        <translation>Partie</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Tokens (estimated)</source>
        <translation>Jetons (estimation)</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Nothing was sent to the model for this answer: no passage was relevant enough.</source>
        <translation>Rien n&apos;a été envoyé au modèle pour cette réponse&#xa0;: aucun extrait n&apos;était assez pertinent.</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>%n passage(s) left out</source>
        <translation>
            <numerusform>%n extrait laissé de côté</numerusform>
            <numerusform>%n extraits laissés de côté</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n earlier exchange(s) left out</source>
        <translation>
            <numerusform>%n échange précédent laissé de côté</numerusform>
            <numerusform>%n échanges précédents laissés de côté</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>options %1</source>
        <translation>options %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The prompt that wrote this summary (level %1) · %2 · %3 prompt tokens, %4 written</source>
        <translation>Le prompt qui a écrit ce résumé (niveau %1) · %2 · %3 jetons de prompt, %4 écrits</translation>
    </message>
</context>
<context>
    <name>SearchCheckDialog</name>
    <message>
        <location filename="../../src/desktop_rag/qt/search_check_dialog.py" line="+54"/>
        <source>Check search quality</source>
        <translation>Vérifier la qualité de la recherche</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Questions are written from a sample of this library&apos;s chunks, then searched as your questions are. For each document: how often the chunk a question came from came back first, and among the passages given to the model. Documents where it rarely does (scans read with errors, tables, pages that all say the same) are where answers will fail too.</source>
        <translation>Des questions sont écrites à partir d&apos;un échantillon des segments de cette bibliothèque, puis recherchées comme le sont vos questions. Pour chaque document&#xa0;: combien de fois le segment d&apos;où venait une question est revenu en premier, et parmi les passages donnés au modèle. Les documents où c&apos;est rarement le cas (numérisations lues avec des erreurs, tableaux, pages qui disent toutes la même chose) sont ceux où les réponses échoueront aussi.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source> questions</source>
        <translation> questions</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Questions written by the chat model (slower, closer to a person&apos;s)</source>
        <translation>Questions écrites par le modèle de conversation (plus lent, plus proche de celles d&apos;une personne)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Start</source>
        <translation>Démarrer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Document</source>
        <translation>Document</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Questions</source>
        <translation>Questions</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>First</source>
        <translation>En premier</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>In prompt</source>
        <translation>Dans le prompt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Note</source>
        <translation>Remarque</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Sampling the chunks...</source>
        <translation>Échantillonnage des segments…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Cancelling: the figures measured so far follow.</source>
        <translation>Annulation&#xa0;: les chiffres mesurés jusqu&apos;ici vont suivre.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Writing question %1 of %2 (%3)</source>
        <translation>Écriture de la question %1 sur %2 (%3)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Searching question %1 of %2 (%3)</source>
        <translation>Recherche de la question %1 sur %2 (%3)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>This library has no chunk to write a question from yet: import documents first.</source>
        <translation>Cette bibliothèque n&apos;a encore aucun segment d&apos;où écrire une question&#xa0;: importez d&apos;abord des documents.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>written from key sentences (easier than a person&apos;s: they use the chunk&apos;s own words)</source>
        <translation>écrites à partir de phrases clés (plus faciles que celles d&apos;une personne&#xa0;: elles reprennent les mots du segment)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>written by %1</source>
        <translation>écrites par %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancelled: the figures are those measured until then.</source>
        <translation>Annulé&#xa0;: les chiffres sont ceux mesurés jusque-là.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The chat model could not be asked (Ollama is not running, or no model is chosen in Settings): the questions were written from key sentences.</source>
        <translation>Le modèle de conversation n&apos;a pas pu être interrogé (Ollama n&apos;est pas lancé, ou aucun modèle n&apos;est choisi dans Paramètres)&#xa0;: les questions ont été écrites à partir de phrases clés.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 questions, %2. The chunk a question came from came back first for %3 of them, and was among the passages of the prompt for %4 (%5 search, %6 passages; %7 s).</source>
        <translation>%1 questions, %2. Le segment d&apos;où venait une question est revenu en premier pour %3 d&apos;entre elles, et figurait parmi les passages du prompt pour %4 (recherche %5, %6 passages&#xa0;; %7 s).</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Worst: %1</source>
        <translation>Les moins bien trouvés&#xa0;: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 (first %2, in prompt %3)</source>
        <translation>%1 (en premier %2, dans le prompt %3)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>read by OCR</source>
        <translation>lu par reconnaissance de caractères</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>tables</source>
        <translation>tableaux</translation>
    </message>
</context>
<context>
    <name>SourceViewer</name>
    <message>
        <location filename="../../src/desktop_rag/qt/source_viewer.py" line="+98"/>
        <source>Previous page</source>
        <translation>Page précédente</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next page</source>
        <translation>Page suivante</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fit width</source>
        <translation>Pleine largeur</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Fit the page to the width</source>
        <translation>Ajuster la page à la largeur</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Zoom out</source>
        <translation>Zoom arrière</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Zoom in</source>
        <translation>Zoom avant</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open in default app</source>
        <translation>Ouvrir dans l&apos;application par défaut</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open the file in the application your system uses for it</source>
        <translation>Ouvrir le fichier dans l&apos;application que votre système utilise pour ce type de fichier</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Page {page} is not in this {count}-page document; showing page {shown}.</source>
        <translation>La page {page} n&apos;existe pas dans ce document de {count} pages&#xa0;; affichage de la page {shown}.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The passage was not found on page {page}: the page may be a scanned image, or the file changed since it was imported.</source>
        <translation>L&apos;extrait est introuvable à la page {page}&#xa0;: la page est peut-être une image numérisée, ou le fichier a changé depuis son import.</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>The original file is no longer at {path}; this is the text kept in the library.</source>
        <translation>Le fichier d&apos;origine n&apos;est plus à l&apos;emplacement {path}&#xa0;; voici le texte conservé dans la bibliothèque.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Click a citation [n] in an answer to see its passage here.</source>
        <translation>Cliquez sur une citation [n] dans une réponse pour voir son extrait ici.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{path} does not exist any more.</source>
        <translation>{path} n&apos;existe plus.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No application could open {name}. Is one installed for this kind of file?</source>
        <translation>Aucune application n&apos;a pu ouvrir {name}. Y en a-t-il une d&apos;installée pour ce type de fichier&#xa0;?</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>{path} is a folder, not a PDF.</source>
        <translation>{path} est un dossier, pas un PDF.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{path} was not found. It may have been moved, renamed or deleted; import it again from where it is now.</source>
        <translation>{path} est introuvable. Il a peut-être été déplacé, renommé ou supprimé&#xa0;; importez-le de nouveau depuis son emplacement actuel.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>{name} has no pages.</source>
        <translation>{name} ne contient aucune page.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>{path} was not found.</source>
        <translation>{path} est introuvable.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{name} is protected by a password.</source>
        <translation>{name} est protégé par un mot de passe.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{name} is encrypted in a way this viewer cannot open.</source>
        <translation>{name} est chiffré d&apos;une manière que cette visionneuse ne sait pas ouvrir.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{name} is damaged or is not a PDF.</source>
        <translation>{name} est endommagé ou n&apos;est pas un PDF.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{name} could not be opened.</source>
        <translation>{name} n&apos;a pas pu être ouvert.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&apos;Open in default app&apos; may still show it.</source>
        <translation>«&#xa0;Ouvrir dans l&apos;application par défaut&#xa0;» pourra peut-être quand même l&apos;afficher.</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>page {page} of {count}</source>
        <translation>page {page} sur {count}</translation>
    </message>
</context>
<context>
    <name>SummaryController</name>
    <message>
        <location filename="../../src/desktop_rag/qt/summary_controller.py" line="+107"/>
        <source>A summary tree is already being built: wait for it or cancel it first.</source>
        <translation>Un arbre de résumés est déjà en construction&#xa0;: attendez-le ou annulez-le d&apos;abord.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Summary tree stopped: what was written is kept, and building again goes on from there.</source>
        <translation>Arbre de résumés arrêté&#xa0;: ce qui a été écrit est gardé, et une nouvelle construction reprend à partir de là.</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+51"/>
        <source>Summary tree</source>
        <translation>Arbre de résumés</translation>
    </message>
    <message>
        <location line="-50"/>
        <source>The summary tree could not be built: %1

The summaries already written are kept.</source>
        <translation>L&apos;arbre de résumés n&apos;a pas pu être construit&#xa0;: %1

Les résumés déjà écrits sont gardés.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Stopping after the summary being written…</source>
        <translation>Arrêt après le résumé en cours d&apos;écriture…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Wait for the summary tree being built, or cancel it.</source>
        <translation>Attendez la fin de l&apos;arbre de résumés en construction, ou annulez-le.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove summary trees</source>
        <translation>Supprimer les arbres de résumés</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove the summary trees of %1 document(s)? Their chunks stay; building a tree again asks the model for every summary.</source>
        <translation>Supprimer les arbres de résumés de %1 document(s)&#xa0;? Leurs segments restent ; reconstruire un arbre redemande chaque résumé au modèle.</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>%n summaries removed</source>
        <translation>
            <numerusform>%n résumé supprimé</numerusform>
            <numerusform>%n résumés supprimés</numerusform>
        </translation>
    </message>
    <message>
        <location line="+20"/>
        <source>%1: no summary tree (a single chunk)</source>
        <translation>%1&#xa0;: pas d&apos;arbre de résumés (un seul segment)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: no summary tree needed: short enough to be read whole</source>
        <translation>%1&#xa0;: pas besoin d&apos;arbre de résumés, le document est assez court pour être lu en entier</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: summary tree already complete</source>
        <translation>%1&#xa0;: arbre de résumés déjà complet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: summary tree of %2 levels, %3 summaries, in %4 min</source>
        <translation>%1&#xa0;: arbre de résumés de %2 niveaux, %3 résumés, en %4 min</translation>
    </message>
</context>
<context>
    <name>SummaryProgressStrip</name>
    <message>
        <location line="-157"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>Summary tree of %n document(s): starting…</source>
        <translation>
            <numerusform>Arbre de résumés de %n document&#xa0;: démarrage…</numerusform>
            <numerusform>Arbre de résumés de %n documents&#xa0;: démarrage…</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1: level %2, cluster %3/%4</source>
        <translation>%1&#xa0;: niveau %2, groupe %3/%4</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 tokens/s</source>
        <translation>%1 jetons/s</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>about %1 min left</source>
        <translation>environ %1 min restantes</translation>
    </message>
</context>
<context>
    <name>SummaryPromptDialog</name>
    <message>
        <location filename="../../src/desktop_rag/qt/summary_prompt_dialog.py" line="+37"/>
        <source>Summary prompt</source>
        <translation>Prompt des résumés</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The model writes each summary from this prompt, in the document&apos;s language. {document} is the document&apos;s title, {text} the text to summarise (required), {words} the longest summary in words. Trees already built keep their prompt: remove a tree and build it again to use a new one.</source>
        <translation>Le modèle écrit chaque résumé à partir de ce prompt, dans la langue du document. {document} est le titre du document, {text} le texte à résumer (obligatoire), {words} la longueur maximale du résumé en mots. Les arbres déjà construits gardent leur prompt&#xa0;: supprimez un arbre et reconstruisez-le pour en utiliser un nouveau.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>English</source>
        <translation>Anglais</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>French</source>
        <translation>Français</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+5"/>
        <source> tokens</source>
        <translation> jetons</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Text given to the model for one summary: more means fewer, broader summaries and a longer wait for each.</source>
        <translation>Texte donné au modèle pour un résumé&#xa0;: plus de texte donne des résumés moins nombreux et plus larges, et une attente plus longue pour chacun.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>System prompt</source>
        <translation>Prompt système</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User message</source>
        <translation>Message utilisateur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Text per summary</source>
        <translation>Texte par résumé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Longest summary</source>
        <translation>Résumé le plus long</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Built-in prompt</source>
        <translation>Prompt par défaut</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>The user message must contain {text}.</source>
        <translation>Le message utilisateur doit contenir {text}.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Saved: the next summaries use it.</source>
        <translation>Enregistré&#xa0;: les prochains résumés l&apos;utiliseront.</translation>
    </message>
</context>
<context>
    <name>SummaryTreeView</name>
    <message>
        <location filename="../../src/desktop_rag/qt/summary_tree_view.py" line="+46"/>
        <source>Node</source>
        <translation>Nœud</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Pages</source>
        <translation>Pages</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Tokens</source>
        <translation>Jetons</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Children</source>
        <translation>Enfants</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Text</source>
        <translation>Texte</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Build summary tree</source>
        <translation>Construire l&apos;arbre de résumés</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Summarise this document&apos;s chunks with the chat model, then the summaries, up to one summary of the whole document. Long: 3 to 4 minutes per 10 pages with a 0.5B model on two cores.</source>
        <translation>Résumer les segments de ce document avec le modèle de conversation, puis les résumés, jusqu&apos;à un résumé du document entier. Long&#xa0;: 3 à 4 minutes pour 10 pages avec un modèle de 0,5 milliard de paramètres sur deux cœurs.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Remove tree</source>
        <translation>Supprimer l&apos;arbre</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Summary prompt…</source>
        <translation>Prompt des résumés…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Read and change the prompt that writes the summaries</source>
        <translation>Lire et modifier le prompt qui écrit les résumés</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Select a document to see its summary tree.</source>
        <translation>Sélectionnez un document pour voir son arbre de résumés.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 has no summary tree yet. Build one to let questions about the whole document or a whole part of it find a summary instead of scattered chunks.</source>
        <translation>%1 n&apos;a pas encore d&apos;arbre de résumés. Construisez-en un pour qu&apos;une question sur tout le document ou sur toute une partie trouve un résumé au lieu de segments épars.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>complete</source>
        <translation>complet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>incomplete: build again to finish it</source>
        <translation>incomplet&#xa0;: reconstruisez-le pour le terminer</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%1: %n level(s), </source>
        <translation>
            <numerusform>%1&#xa0;: %n niveau, </numerusform>
            <numerusform>%1&#xa0;: %n niveaux, </numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 summaries over %2 chunks (%3)</source>
        <translation>%1 résumés sur %2 segments (%3)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Document summary</source>
        <translation>Résumé du document</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Summary, level %1</source>
        <translation>Résumé, niveau %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>(missing chunk)</source>
        <translation>(segment manquant)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chunk %1</source>
        <translation>Segment %1</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>%1 · %2 · %3 children · written by %4 in %5 s</source>
        <translation>%1 · %2 · %3 enfants · écrit par %4 en %5 s</translation>
    </message>
</context>
<context>
    <name>TemplateEditor</name>
    <message>
        <location filename="../../src/desktop_rag/qt/template_editor.py" line="+20"/>
        <source>the user text must contain {context}</source>
        <translation>le texte de la question doit contenir {context}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the user text must contain {question}</source>
        <translation>le texte de la question doit contenir {question}</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>English</source>
        <translation>Anglais</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>French</source>
        <translation>Français</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Reset to default</source>
        <translation>Rétablir le gabarit par défaut</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Edit template</source>
        <translation>Gabarit à modifier</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>In the instructions, {library} becomes the library&apos;s name. In the question text, {context} becomes the numbered passages and {question} the question: both are required. The last text stands in for the passages when none is relevant.</source>
        <translation>Dans les instructions, {library} devient le nom de la bibliothèque. Dans le texte de la question, {context} devient les extraits numérotés et {question} la question&#xa0;: les deux sont obligatoires. Le dernier texte remplace les extraits quand aucun n&apos;est pertinent.</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+3"/>
        <source>Instructions (system)</source>
        <translation>Instructions (système)</translation>
    </message>
    <message>
        <location line="-2"/>
        <location line="+3"/>
        <source>Question text (user)</source>
        <translation>Texte de la question (utilisateur)</translation>
    </message>
    <message>
        <location line="-2"/>
        <location line="+3"/>
        <source>When nothing is relevant</source>
        <translation>Quand rien n&apos;est pertinent</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Not applied: {problems}.</source>
        <translation>Non appliqué&#xa0;: {problems}.</translation>
    </message>
</context>
<context>
    <name>TokensView</name>
    <message>
        <location filename="../../src/desktop_rag/qt/tokens_view.py" line="+30"/>
        <source>This answer has no token probabilities: turn on &apos;Token probabilities&apos; in the generation settings and ask again.</source>
        <translation>Cette réponse n&apos;a pas de probabilités de jetons&#xa0;: activez «&#xa0;Probabilités des jetons&#xa0;» dans les paramètres de génération et posez de nouveau la question.</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Perplexity: how unsure the model was over the whole answer. 1 means it was certain of every token; the higher, the more it hesitated. Mean probability: the average of the probabilities of the tokens it chose.</source>
        <translation>Perplexité&#xa0;: à quel point le modèle a hésité sur l&apos;ensemble de la réponse. 1 signifie qu&apos;il était certain de chaque jeton&#xa0;; plus elle est élevée, plus il a hésité. Probabilité moyenne&#xa0;: la moyenne des probabilités des jetons qu&apos;il a choisis.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Probability:</source>
        <translation>Probabilité&#xa0;:</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Perplexity {perplexity} · mean probability {mean} · {count} tokens</source>
        <translation>Perplexité {perplexity} · probabilité moyenne {mean} · {count} jetons</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Alternatives the model weighed:</source>
        <translation>Alternatives envisagées par le modèle&#xa0;:</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>No alternatives were recorded for this token.</source>
        <translation>Aucune alternative n&apos;a été enregistrée pour ce jeton.</translation>
    </message>
</context>
</TS>
