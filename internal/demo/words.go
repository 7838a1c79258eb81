package demo

// The word lists below were written for Dateline's demo data. Each language
// has its commonest small words first and its other words roughly by how
// often a local news site would use them, so that drawing them with a
// falling (Zipf-like) weight gives text whose word frequencies look like
// real text: a few words everywhere, a long tail of rare ones.

// tongue is one language of the demo site: its words and the phrases its
// headlines and comments are built from.
type tongue struct {
	code  string  // BCP 47
	share float64 // of all articles
	latin bool    // sentences start with a capital letter

	function []string // small words, commonest first
	content  []string // the rest, roughly by frequency
	// prefixes attach to the next word without a space (Arabic "و",
	// Hebrew "ו", "ב", "ל"...).
	prefixes []string

	// Headlines are subject, verb, object and sometimes a tail. A subject
	// written "+Residents" is plural; a verb written "opens/open" has its
	// singular and plural forms.
	subjects, verbs, objects, tails []string
	headings                        []string // subheadings inside a story
	saying                          []string // "%s said"... after a quote, %s for the name
	openers                         []string // how readers start a comment
	first, last                     []string // people's names

	comma, stop, question string
	quoteOpen, quoteClose string
}

var english = tongue{
	code: "en", share: 0.84, latin: true,
	function: words(`the of and to a in that is for on was with it as at by from said this be are
		have has but not an they which will their more been were or its after who would about also than
		one new two into over last year people when there up out so what all can could its if no some
		other only first three most just before while many since under against between during because
		four five through where these those our us we may now then even still such each any both very`),
	content: words(`city council mayor residents harbour market school police government minister
		plan budget tram station street district park river bridge coast beach festival museum library
		theatre hospital doctors nurses patients children families teachers students university
		housing rent prices workers union strike company companies jobs business shops tourists hotel
		restaurant cafe bakery fishermen port ship ferry airport flights weather rain storm heat summer
		winter spring autumn trees garden water electricity energy solar wind power climate report study
		researchers scientists data numbers percent million thousand court judge law vote election
		party campaign opposition coalition parliament committee meeting decision debate protest
		march square centre neighbourhood building construction project road traffic cars buses bikes
		cyclists parking transport ticket fare service services health care schools lessons exams
		football match league team coach players goal season club stadium fans final cup race runners
		marathon swimming sailing rowing basketball tennis concert orchestra music band album film
		cinema director actors exhibition gallery artists painting books writer novel poetry history
		heritage old town quarter walls church mosque synagogue monument anniversary celebration
		holiday weekend morning evening night week month spokesman official statement interview
		question answer problem solution change future past safety security fire firefighters
		ambulance emergency accident injured victims damage repairs insurance bank loan interest tax
		taxes income pay wages pensions elderly young women men volunteers charity donations food
		vegetables fruit fish bread olive oil wine coffee tea harvest farmers fields village villages
		region country border world Europe neighbours talks agreement deal peace ceasefire aid refugees
		embassy visit delegation guests audience crowd queue stalls lights music night market
		telescope satellite laboratory experiment discovery battery engineers software internet
		phones app online digital privacy hackers computers robots startup investors shares growth
		inflation economy exports imports trade factory industry cement steel recycling waste
		pollution air quality noise complaints inspectors rules permit licence deadline delay cost costs
		millions funding grant plans proposal vote approval support critics supporters leaders
		experts analysts sources officials authorities ministry department agency office board director
		chairman chief manager owner founder family neighbours friends colleagues readers viewers
		local national regional public private historic modern quiet busy crowded empty narrow wide
		green blue bright dark early late recent annual weekly daily major minor small large long short
		strong weak higher lower cheaper expensive free open closed ready full half whole new old
		opened closed announced approved rejected delayed cancelled postponed launched unveiled
		expanded reduced increased doubled confirmed denied warned promised agreed refused asked
		demanded called told added explained noted stressed admitted insisted expects hopes wants
		needs plans says believes reported found showed revealed suggested estimated counted measured
		built repaired restored moved planted cleaned painted won lost drew scored beat hosted played
		performed sang wrote published read watched visited arrived left returned began ended`),
	subjects: words2(`City council|The mayor|The port authority|+Residents|+Teachers|The harbour market|+Local
		fishermen|The city orchestra|+Bus drivers|The university|The old town museum|+Shop owners|+Police|The
		health ministry|+Volunteers|The football club|+Researchers|The central library|+Farmers|The
		opposition|+Hospital staff|The tourism board|+Cyclists|A local bakery|The water company|+Parents|The
		planning committee|+Young voters|The rowing club|+Firefighters|The theatre company|+Street
		vendors|+Scientists|The coast guard|+Landlords|+Tenants|The chamber of commerce|+Night-shift
		workers|The school board|The regional court`),
	verbs: words2(`approves/approve|rejects/reject|delays/delay|unveils/unveil|backs/back|questions/question|
		opens/open|closes/close|launches/launch|wins/win|loses/lose|plans/plan|cancels/cancel|welcomes/welcome|
		criticises/criticise|expands/expand|defends/defend|celebrates/celebrate|demands/demand|promises/promise|
		doubles/double|cuts/cut|reviews/review|restores/restore|funds/fund|blocks/block|tests/test|joins/join|
		warns against/warn against|calls for/call for`),
	objects: words2(`a new tram line|the summer festival|plans for the harbour|a bigger budget for schools|the
		night market|higher parking fees|a ban on cars in the old town|a cycling lane along the coast|the
		water price rise|a new library branch|longer opening hours|the stadium renovation|the rent cap|a
		solar farm on the hills|the ferry timetable|free buses for pupils|a tree-planting drive|the
		beach clean-up|the new hospital wing|the fish market move|a record harvest|the city marathon|a
		museum of the sea|the bridge repairs|a recycling scheme|the noise rules|the teachers' contract|a
		late-night concert series|the airport expansion|a tax on empty flats|the heritage trail|a
		playground for the east side|the police station plan|the flood barrier|a youth football league|
		the olive harvest fair|the tourist tax|a public swimming pool|the old cinema|the winter shelter`),
	tails: words2(`after a long debate|despite protests|for the third year|in the old town|before the
		election|this week|amid complaints|at a packed meeting|by the harbour|after residents petition|in a
		close vote|ahead of summer|for the first time|with a narrow majority|after years of delay|as
		costs rise|on the east side|in a surprise move|after a heated session|following a storm`),
	headings: words2(`What happens next|The numbers|How it started|What residents say|The cost|A long road|
		Reactions|Background|The critics|What changes|Behind the decision|A closer look|On the ground|
		The timeline|Looking ahead|Who pays|The other side|Questions remain`),
	saying:  words2(`%s said|said %s|%s told Dateline|%s explained|%s said on Tuesday|%s said in a statement|%s insisted|added %s`),
	openers: words2(`I agree.|Great piece.|Not convinced.|About time.|Thank you for this.|Well written.|I live there and|Interesting, but|This is a disgrace.|Finally!|Sad to read.|Good news at last.|Hmm.|As a parent,|Speaking as a shop owner,|Nobody asked the residents.|Same story every year.|Excellent reporting.`),
	first: words(`Maya Daniel Noa Omar Lina Tomer Sarah David Yael Adam Rana Eitan Leila Jonas Clara Samir Nadia
		Ben Ruth Karim Hannah Amir Sophie Michael Dana Yusuf Emma Lior Fatima Oliver Tamar Nour Elena Ari`),
	last: words(`Galili Haddad Levi Cohen Mansour Stern Khoury Barak Nasser Weiss Shapiro Darwish Rosen
		Azoulay Saleh Peretz Klein Hassan Mizrahi Fischer Baker Moreau Brennan Okafor Lindqvist Carter`),
	comma: ",", stop: ".", question: "?", quoteOpen: "“", quoteClose: "”",
}

var french = tongue{
	code: "fr", share: 0.04, latin: true,
	function: words(`de la le et les des à en un une du que qui pour dans est a sur par au pas plus ne
		se il elle ce avec sont ont été son sa ses leur aux mais ou comme aussi après avant entre sans
		tout très déjà encore depuis lors cette ces nous on y`),
	content: words(`ville mairie maire habitants port marché école police gouvernement ministre projet
		budget tramway gare rue quartier parc rivière pont côte plage festival musée bibliothèque théâtre
		hôpital médecins enfants familles enseignants étudiants université logement loyers prix
		travailleurs syndicat grève entreprise emplois commerces touristes hôtel restaurant boulangerie
		pêcheurs bateau ferry aéroport météo pluie orage chaleur été hiver printemps automne arbres
		jardin eau électricité énergie solaire vent climat rapport étude chercheurs données pourcentage
		millions tribunal juge loi vote élection parti campagne opposition conseil réunion décision
		débat manifestation place centre chantier route circulation voitures bus vélos transports
		billet service santé football match équipe entraîneur joueurs but saison club stade supporters
		concert orchestre musique film cinéma exposition galerie artistes livres écrivain histoire
		patrimoine vieille vieux semaine mois année soir matin nuit porte-parole déclaration entretien
		question réponse problème sécurité incendie pompiers accident dégâts banque impôts salaires
		retraites bénévoles nourriture poisson pain olives vin café récolte agriculteurs village région
		pays frontière monde Europe accord paix aide visite public nouveau nouvelle grand grande petit
		petite premier dernière local national ancien moderne calme animé ouvert fermé annoncé approuvé
		rejeté reporté lancé dit ajouté expliqué souligné promis demandé construit rénové gagné perdu
		joué publié visité`),
	subjects: words2(`Le conseil municipal|Le maire|+Les habitants|+Les enseignants|Le port|+Les pêcheurs|
		L'orchestre de la ville|L'université|+Les commerçants|La police|+Les bénévoles|Le club de football|
		+Les chercheurs|La bibliothèque|+Les agriculteurs|L'opposition|Le personnel de l'hôpital|+Les cyclistes`),
	verbs: words2(`approuve/approuvent|rejette/rejettent|reporte/reportent|dévoile/dévoilent|soutient/soutiennent|
		ouvre/ouvrent|ferme/ferment|lance/lancent|gagne/gagnent|perd/perdent|annule/annulent|critique/critiquent|
		défend/défendent|célèbre/célèbrent|réclame/réclament|promet/promettent|rénove/rénovent|finance/financent|
		bloque/bloquent`),
	objects: words2(`une nouvelle ligne de tramway|le festival d'été|le projet du port|un budget pour les
		écoles|le marché de nuit|une piste cyclable sur la côte|la hausse du prix de l'eau|la rénovation du
		stade|le plafonnement des loyers|une ferme solaire|les horaires du ferry|des bus gratuits pour les
		élèves|le nettoyage de la plage|le marathon de la ville|la réparation du pont`),
	tails: words2(`après un long débat|malgré les protestations|pour la troisième année|dans la vieille
		ville|avant les élections|cette semaine|à une courte majorité|pour la première fois|après des années
		de retard`),
	headings: words2(`Et maintenant|Les chiffres|Ce que disent les habitants|Le coût|Les réactions|
		Le contexte|Les critiques|Ce qui change|Le calendrier`),
	saying:  words2(`a déclaré %s|a ajouté %s|a expliqué %s|a souligné %s|selon %s`),
	openers: words2(`Tout à fait d'accord.|Bel article.|Pas convaincu.|Enfin !|Merci pour cet article.|J'habite là-bas et|Intéressant, mais|Quelle honte.|Bonne nouvelle.`),
	first:   words(`Camille Julien Léa Hugo Chloé Louis Manon Antoine Inès Mathieu Sarah Thomas`),
	last:    words(`Martin Bernard Dubois Laurent Moreau Lefèvre Girard Roux Fontaine Mercier`),
	comma:   ",", stop: ".", question: " ?", quoteOpen: "« ", quoteClose: " »",
}

var german = tongue{
	code: "de", share: 0.03, latin: true,
	function: words(`der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch
		es an werden aus er hat dass sie nach wird bei einer um am sind noch wie einem über einen so zum
		war haben nur oder aber vor zur bis mehr durch man seit gegen schon`),
	content: words(`Stadt Stadtrat Bürgermeister Bewohner Hafen Markt Schule Polizei Regierung Minister
		Plan Haushalt Straßenbahn Bahnhof Straße Viertel Park Fluss Brücke Küste Strand Fest Museum
		Bibliothek Theater Krankenhaus Ärzte Kinder Familien Lehrer Studenten Universität Wohnungen
		Mieten Preise Arbeiter Gewerkschaft Streik Unternehmen Arbeitsplätze Geschäfte Touristen Hotel
		Bäckerei Fischer Fähre Flughafen Wetter Regen Sturm Hitze Sommer Winter Frühling Herbst Bäume
		Garten Wasser Strom Energie Solaranlage Wind Klima Bericht Studie Forscher Daten Prozent
		Millionen Gericht Gesetz Wahl Partei Opposition Sitzung Entscheidung Debatte Protest Platz
		Zentrum Baustelle Verkehr Autos Busse Fahrräder Fahrkarte Gesundheit Fußball Spiel Mannschaft
		Trainer Spieler Tor Saison Verein Stadion Fans Konzert Orchester Musik Film Ausstellung Künstler
		Bücher Geschichte Altstadt Woche Monat Jahr Abend Morgen Nacht Sprecher Erklärung Frage Antwort
		Problem Sicherheit Feuerwehr Unfall Schäden Bank Steuern Löhne Renten Helfer Essen Fisch Brot
		Wein Kaffee Ernte Bauern Dorf Region Land Grenze Welt Europa Abkommen Frieden Hilfe Besuch neue
		neuen alte großen kleinen ersten letzten lokale öffentliche moderne ruhige offen geschlossen
		angekündigt beschlossen abgelehnt verschoben gestartet sagte erklärte betonte versprach forderte
		gebaut renoviert gewonnen verloren gespielt veröffentlicht besucht`),
	subjects: words2(`Der Stadtrat|Der Bürgermeister|+Die Bewohner|+Die Lehrer|Der Hafen|+Die Fischer|Das
		Stadtorchester|Die Universität|+Die Händler|Die Polizei|+Freiwillige|Der Fußballverein|+Forscher|Die
		Stadtbibliothek|+Die Bauern|Die Opposition`),
	verbs: words2(`beschließt/beschließen|verschiebt/verschieben|unterstützt/unterstützen|eröffnet/eröffnen|
		schließt/schließen|startet/starten|gewinnt/gewinnen|verliert/verlieren|kritisiert/kritisieren|
		verteidigt/verteidigen|feiert/feiern|fordert/fordern|verspricht/versprechen|renoviert/renovieren|
		finanziert/finanzieren`),
	objects: words2(`eine neue Straßenbahnlinie|das Sommerfest|den Plan für den Hafen|mehr Geld für
		Schulen|den Nachtmarkt|einen Radweg an der Küste|höhere Wasserpreise|den Umbau des Stadions|die
		Mietpreisbremse|einen Solarpark|den Fährplan|kostenlose Busse für Schüler|den Stadtmarathon`),
	tails: words2(`nach langer Debatte|trotz Protesten|zum dritten Mal|in der Altstadt|vor der Wahl|
		diese Woche|mit knapper Mehrheit|zum ersten Mal|nach Jahren der Verzögerung`),
	headings: words2(`Wie es weitergeht|Die Zahlen|Was die Bewohner sagen|Die Kosten|Reaktionen|
		Hintergrund|Die Kritiker|Was sich ändert`),
	saying:  words2(`sagte %s|fügte %s hinzu|erklärte %s|betonte %s|sagte %s am Dienstag`),
	openers: words2(`Ganz meine Meinung.|Guter Artikel.|Nicht überzeugt.|Endlich!|Danke für den Bericht.|Ich wohne dort und|Interessant, aber|Eine Schande.`),
	first:   words(`Anna Lukas Lena Jonas Marie Felix Sophie Paul Laura Max Julia Tim`),
	last:    words(`Müller Schmidt Schneider Fischer Weber Becker Wagner Hoffmann Krause Lange`),
	comma:   ",", stop: ".", question: "?", quoteOpen: "„", quoteClose: "“",
}

var arabic = tongue{
	code: "ar", share: 0.045,
	function: words(`في من إلى على عن مع أن التي الذي هذا هذه كان قد لا ما بعد قبل بين حتى أو ثم لكن
		كل عند منذ خلال حول نحو أيضا فقط جدا هناك هو هي هم كما إن لم لن قال`),
	prefixes: words(`و و و ب`),
	content: words(`المدينة الميناء البحر الشاطئ السوق الحي الشارع المدرسة الجامعة الطلاب المعلمين
		السكان الحكومة الوزارة البلدية المجلس الميزانية المشروع الخطة القرار الاجتماع الانتخابات
		الحزب الرئيس الوزير الشرطة المحكمة القانون الاقتصاد الأسعار الشركات العمال الرواتب الضرائب
		السياحة الفنادق المطاعم الثقافة المسرح الموسيقى الفيلم المعرض الكتاب المكتبة الرياضة المباراة
		الفريق الملعب البطولة الهدف المدرب اللاعبين العلوم الباحثين الدراسة التجربة الطاقة الشمسية
		المياه المطر الطقس الحرارة الشتاء الصيف الربيع الخريف الأشجار الحديقة النقل الحافلات القطار
		الترام الطريق الجسر السيارات المستشفى الأطباء المرضى الصحة الأطفال العائلات الشباب النساء
		المسنين الأمن السلام المفاوضات الاتفاق الحدود العالم أوروبا الشرق الغرب الجنوب الشمال التاريخ
		التراث القديمة الجديدة الكبير الصغير الأول الأخير اليوم أمس غدا الأسبوع الشهر العام الساعة
		المساء الصباح كبيرة جديدة مهمة واضحة صعبة سريعة أعلن أكد أضاف أوضح أشار طالب رفض وافق بدأ
		انتهى افتتح يعمل يريد يمكن يجب يحتاج الصيادين الزيتون القهوة الخبز السمك المهرجان الأزهار
		الحفل الجمهور الفنانين الكتّاب الرواية الشعر البيئة التلوث النفايات إعادة التدوير المتطوعين
		التبرعات المساعدات اللاجئين الزوار الوفد السفارة المواطنين المسؤولين الخبراء التقرير الأرقام
		المئة مليون ألف المبنى البناء الشقق الإيجار الأزمة الحل المستقبل الماضي الحريق الإطفاء الحادث
		الأضرار الإصلاحات البنك القرض التجارة المصنع الصناعة التصدير السوق الليلي الأضواء الساحة`),
	subjects: words2(`المجلس البلدي|رئيس البلدية|الميناء|الفريق|المستشفى|المتحف|الوزير|البنك المركزي|
		المعهد|المسرح|النادي|اتحاد العمال|مجلس الطلاب|المركز الثقافي|مكتب السياحة|صندوق التنمية`),
	verbs: words2(`يقر|يرفض|يطلق|يفتتح|يؤجل|يعلن عن|يدرس|يدعم|يوسع|يلغي|يقترح|يناقش|يحذر من|يكشف عن`),
	objects: words2(`خطة جديدة للنقل العام|ميزانية إضافية للمدارس|مبادرة لزراعة الأشجار|حملة لتنظيف
		الشاطئ|دراسة حول جودة المياه|اتفاقية تعاون مع الجامعة|مسابقة للشباب|خطة لتطوير الكورنيش|رسوم
		جديدة لمواقف السيارات|مهرجان الصيف في الميناء|مشروع سوق ليلية في البلدة القديمة|حديقة عامة في الحي
		الشرقي|خطة لترميم الجسر|جولة جديدة من المفاوضات`),
	tails: words2(`بعد نقاش طويل|رغم الاحتجاجات|في البلدة القديمة|قبل الانتخابات|للمرة الثالثة|هذا
		الأسبوع|وسط انتقادات|في مؤتمر صحفي|بحلول الصيف المقبل`),
	headings: words2(`ماذا بعد|الأرقام|ماذا يقول السكان|التكلفة|ردود الفعل|خلفية|المنتقدون|ما الذي
		سيتغير|نظرة أقرب`),
	saying:  words2(`قال %s|أضاف %s|أوضح %s|أكد %s|قال %s في بيان`),
	openers: words2(`أتفق تماما.|مقال رائع.|غير مقتنع.|أخيرا!|شكرا على هذا التقرير.|أسكن هناك و|مثير للاهتمام، لكن|خبر جيد.`),
	first:   words(`محمد فاطمة عمر ليلى يوسف نور سامي رنا خالد هدى كريم سلمى`),
	last:    words(`حداد منصور خوري ناصر درويش صالح حسن عيسى شحادة عودة`),
	comma:   "،", stop: ".", question: "؟", quoteOpen: "«", quoteClose: "»",
}

var hebrew = tongue{
	code: "he", share: 0.045,
	function: words(`של את על עם אל גם כי לא זה זו היא הוא הם יש אין כל רק עוד כבר אבל או אם אחרי
		לפני בין מול נגד כמו מאוד היום אתמול מחר אשר כך אמר`),
	prefixes: words(`ו`),
	content: words(`העיר הנמל הים החוף השוק השכונה הרחוב העירייה המועצה תקציב תוכנית החלטה ישיבה בחירות
		מפלגה ממשלה משרד השר ראש המשטרה חוק כלכלה מחירים חברות עובדים משכורות מסים תיירות מלונות
		מסעדות תרבות תיאטרון מוזיקה סרט תערוכה ספר הספרייה ספורט משחק הקבוצה האצטדיון אליפות שער מאמן
		שחקנים מדע חוקרים מחקר ניסוי אנרגיה סולארית מים גשם אוויר חום חורף קיץ אביב סתיו עצים גן פארק
		תחבורה אוטובוסים רכבת כביש גשר מכוניות רופאים חולים בריאות ילדים משפחות צעירים נשים קשישים
		ביטחון שלום הסכם גבול עולם אירופה מזרח מערב דרום צפון היסטוריה מורשת העתיקה חדשה גדול קטן
		ראשון אחרון שבוע חודש שנה שעה ערב בוקר תושבים תלמידים מורים אוניברסיטה סטודנטים פרויקט שיפוץ
		בנייה דירות שכירות מחאה הפגנה ראיון נתונים אחוז מיליון שקלים אמרה הודיע הוסיף הסביר ציין דרש
		סירב הסכים התחיל נפתח נסגר עובד רוצה צריך יכול חשוב ברור קשה מהיר יפה טוב ישן דייגים זיתים קפה
		לחם דגים פסטיבל פרחים קונצרט קהל אמנים סופרים רומן שירה סביבה זיהום פסולת מחזור מתנדבים תרומות
		סיוע מבקרים משלחת שגרירות אזרחים פקידים מומחים דוח מספרים בניין משבר פתרון עתיד עבר שריפה
		כבאים תאונה נזקים תיקונים בנק הלוואה מסחר מפעל תעשייה יצוא אורות הכיכר`),
	subjects: words2(`ראש העיר|בית המשפט|משרד החינוך|הנמל|הצוות|בית החולים|ועד התושבים|המוזיאון|השר|
		הבנק|המכון|התיאטרון|מועדון הכדורגל|הארגון|איגוד המורים|המרכז הקהילתי`),
	verbs: words2(`מאשר|דוחה|מציג|פותח|סוגר|מתכנן|מזהיר מפני|משיק|מקדם|בוחן|מבטל|מרחיב|מודיע על|מחדש`),
	objects: words2(`תוכנית חדשה לתחבורה ציבורית|תקציב נוסף לבתי הספר|מבצע לנטיעת עצים|מבצע לניקוי
		החוף|מחקר על איכות המים|שיתוף פעולה עם האוניברסיטה|תחרות לבני נוער|שוק לילה בעיר העתיקה|גן
		ציבורי בשכונה המזרחית|קו רכבת קלה לנמל|פסטיבל קיץ על החוף|תעריף חדש לחניה|שיפוץ של הגשר הישן`),
	tails: words2(`אחרי דיון ארוך|למרות המחאות|בעיר העתיקה|לפני הבחירות|בפעם השלישית|השבוע|בתום ישיבה
		סוערת|במסיבת עיתונאים|עד הקיץ הבא`),
	headings: words2(`מה הלאה|המספרים|מה אומרים התושבים|העלות|תגובות|רקע|המבקרים|מה ישתנה|מבט מקרוב`),
	saying:   words2(`אמר %s|הוסיף %s|הסביר %s|ציין %s|אמר %s בהודעה`),
	openers:  words2(`מסכים לגמרי.|כתבה מצוינת.|לא משוכנע.|סוף סוף!|תודה על הכתבה.|אני גר שם ו|מעניין, אבל|בושה.|חדשות טובות.`),
	first:    words(`נועה יונתן מאיה איתי תמר עומר שירה דניאל מיכל אורי רותם גיל`),
	last:     words(`כהן לוי מזרחי פרץ ביטון אברהם פרידמן אזולאי שפירא גליל`),
	comma:    ",", stop: ".", question: "?", quoteOpen: "\"", quoteClose: "\"",
}

// tongues are every language of the demo site; their shares add up to 1.
var tongues = []*tongue{&english, &french, &german, &arabic, &hebrew}

// sections are the site's sections with their share of articles and how
// much readers like to argue under them.
var sections = []struct {
	name       string
	share      float64
	talkative  float64
	preferTags []int // indexes into tags
}{
	{"City", 0.20, 1.0, []int{0, 1, 2, 3, 4, 5, 6}},
	{"Politics", 0.15, 1.8, []int{7, 8, 9, 10, 11}},
	{"Business", 0.12, 0.8, []int{12, 13, 14, 15, 16}},
	{"Culture", 0.12, 0.7, []int{17, 18, 19, 20, 21}},
	{"Sport", 0.14, 1.4, []int{22, 23, 24, 25, 26}},
	{"Science", 0.07, 0.9, []int{27, 28, 29, 30, 31}},
	{"World", 0.12, 1.3, []int{32, 33, 34, 35}},
	{"Opinion", 0.08, 2.2, []int{36, 37, 38, 39}},
}

// tags are the 40 tags of the site, commonest first within each section.
var tags = words(`transport housing harbour old-town parks schools water
	elections council budget protests parliament
	jobs prices tourism markets startups
	music theatre film books festivals
	football basketball rowing marathon sailing
	climate space health energy research
	diplomacy refugees Europe trade
	letters editorials columns debate`)

// authorsPerTongue is how many writers each language's desk has; names
// come from the language's lists. Latin-script languages share one desk.
var authorsPerTongue = map[string]int{"en": 18, "fr": 4, "de": 4, "ar": 5, "he": 5}

// links are the places stories link to: reserved example domains, so no
// generated page points at a real site.
var linkHosts = words(`www.example.org data.example.com www.example.net archive.example.org`)
var linkPaths = words(`reports news data documents minutes press budget plans statements`)

// Comments: readers' browsers and the words of spam.
var userAgents = words2(`Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36|
	Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1|
	Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15|
	Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0|
	Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36`)

var spamPhrases = words2(`Cheap watches here|Earn money from home|Best casino bonus|Buy followers now|Crypto tips that work|Lose weight fast|Free phone giveaway|Make 5000 a week`)

var handles = words(`seabreeze oldtowner harbourwatch citycyclist nightowl grumpy_reader tramfan olive_tree
	localmum coastwalker justsaying realist42 marketstall sunnyside north_end bookworm`)
