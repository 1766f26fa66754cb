//! Sentence, quote and headline templates, and the skeletons of templated
//! news (earnings, dividends, weather, sports results).
//!
//! Slots in braces are filled by `story::render`: lowercase slots are words
//! drawn from the lexicon (`n` noun, `ns` plural noun, `t`/`ts` the story's
//! topic nouns, `a` adjective, `v` past verb, `vb` base verb, `vs` third
//! person verb, `vg` -ing verb, `r` adverb); uppercase slots are story facts
//! (`P` person, `S` surname, `ROLE`, `O` organisation, `C` city, `K`
//! country, `D` weekday, `DATE`, `MONTH`, `Y` year, `NUM`, `PCT`, `MONEY`,
//! `CNT`, `Q` a quotation) or, for templated news, per-story holes. The
//! prefix `an:` puts "a" or "an" before the slot's text.

/// Ordinary news sentences.
pub(crate) const SENTENCES: &[&str] = &[
    "{O} said on {D} it would {vb} its {a} {ns} by {PCT}, citing {a} {ns} in {C}.",
    "The {a} {n} comes as {ns} across {K} {v} {r} over the past {CNT} months.",
    "{P}, {ROLE}, said the {t} had {v} {r} since {MONTH}.",
    "According to {O}, the number of {ts} {v} to {NUM} in {MONTH}, up from {NUM} a year earlier.",
    "The {t} is expected to cost {MONEY} over the next {CNT} years, {O} said in a statement.",
    "{ns} in {C} have {v} {r}, with {a} {ns} {vg} the {a} {n}.",
    "Officials in {C} {v} the {n} on {D}, saying it would {vb} the {a} {t}.",
    "The {n} follows {an:a} {n} by {O} to {vb} {ts} in {K}.",
    "{O} {v} {an:a} {n} of {MONEY} for the {t}, {P} told reporters.",
    "It was not immediately clear whether the {t} would {vb} {ts} in the {a} {n}.",
    "{O} did not immediately respond to a request for comment on {D}.",
    "Shares in {O} {v} {PCT} in {a} trading on {D}.",
    "The {a} {t} has {v} {ns} from {ns} and {ns} alike.",
    "Analysts said the {n} could {vb} {a} {ns} for {ts} in the coming months.",
    "Last year, {O} {v} {MONEY} on {a} {ts}, according to {a} {ns}.",
    "{P} {v} the {t} as {an:a} {n} for {C}.",
    "The {n} was {v} {r} by {O}, which has {v} {ts} since {Y}.",
    "{K} has {v} {a} {ns} to {vb} the {t}, with {PCT} of {ns} {vg} {a} {ns}.",
    "In {C}, {ns} {v} outside the offices of {O} on {D}.",
    "Data released on {D} showed {ts} {v} {PCT} in the three months to {MONTH}.",
    "The {a} {n} could {vb} as many as {NUM} {ns}, {O} estimated.",
    "Critics say the {t} {vs} {a} {ns} and {vs} little to {vb} {ts}.",
    "Supporters argue that {a} {ns} will {vb} the {t} and {vb} {ns}.",
    "{O} is due to {vb} its {a} {n} on {DATE}.",
    "The {t} remains {a}, with {NUM} {ns} still {vg} {a} {ns}.",
    "{S} added that {O} would {vb} {an:a} {n} before the end of {Y}.",
    "{an:a} {n} published in {MONTH} found that {ts} had {v} by {PCT}.",
    "The {a} {ns} were {v} after {an:a} {n} in {C} last {MONTH}.",
    "{P}, who has {v} {ts} for more than {CNT} years, {v} the {n}.",
    "The {n} will be {v} by {an:a} {n} of {ns} from {K} and abroad.",
    "About {NUM} {ns} are expected to {vb} the {t} this year.",
    "Some {ns} have {r} {v} the {t}, while others {v} the {a} {n}.",
    "The {t} accounts for roughly {PCT} of {K}'s {a} {n}.",
    "{O} {r} {v} that the {n} would {vb} {a} {ns}.",
    "Under the {a} {n}, {ns} would {vb} {ts} worth {MONEY}.",
    "The {n} is the {a} of its kind since {Y}, {S} said.",
    "{ns} and {ns} have {v} the {t}, {vg} {an:a} {n}.",
    "The move {v} {a} {ns} among {ns} in {C}, who {v} {a} {ns}.",
    "{O} has set aside {MONEY} to {vb} {ts} and {vb} {a} {ns}.",
    "The {t} is likely to {vb} the {n} at {an:a} {n} scheduled for {DATE}.",
    "There was no immediate {n} from {O}.",
    "Earlier on {D}, {P} {v} {an:a} {a} {n} to {vb} the {t}.",
    "The {a} {ts} {v} {r} in {C}, where {ns} {v} {NUM} {ns}.",
    "{O} said the {t} would {vb} {ts} for at least {CNT} weeks.",
    "{K}'s {a} {n} has {v} {ts} in recent years, {vg} {ns} to {vb} {a} {ns}.",
    "Figures from {O} showed {MONEY} in {a} {ns} during the {a} {n}.",
    "{S} {v} {ts} to {vb} the {a} {n} and {vb} {ns}.",
    "The {t} has been {v} by {a} {ns} and {a} {ns}, {ns} say.",
    "{P} said {O} had {v} {NUM} {ns} and {v} {MONEY} in {a} {ns}.",
    "Residents of {C} {v} the {n}, with many {vg} {a} {ns}.",
    "Several {ns} said the {a} {t} was {r} {a}.",
    "The {n} at {O} is {a}, {S} said, adding that {ts} would {vb}.",
    "By {MONTH}, {ts} had {v} to their {a} level since {Y}.",
    "The {a} {t} {v} {r} after {O} {v} {an:a} {n}.",
    "{O} {v} {PCT} of its {ns} in {C} and {v} the {t}.",
    "Without {a} {ns}, the {t} could {vb} {r}, {O} warned.",
    "The {t} in {C} has {v} {MONEY} since {MONTH}, or about {PCT} more than planned.",
    "{P} is expected to {vb} the {n} with {ts} from {K} on {D}.",
    "Local {ns} {v} that {an:a} {t} would {vb} {a} {ns} in {C}.",
    "The {a} {n} of {ts} rose to {NUM} in {Y}, up {PCT} on the previous year.",
    "{O} {r} {v} {ts} worth {MONEY}, its {a} {n} in {CNT} years.",
    "A spokesperson for {O} {v} the {n} but declined to {vb} the {a} {ns}.",
];

/// Sentences built around a quotation.
pub(crate) const QUOTE_SENTENCES: &[&str] = &[
    "\"{Q},\" said {P}, {ROLE}.",
    "\"{Q},\" {S} said.",
    "{S} said: \"{Q}.\"",
    "\"{Q}. {Q},\" {S} told reporters in {C}.",
];

/// Quotations: rendered inside quotation marks, first letter capitalised.
pub(crate) const QUOTES: &[&str] = &[
    "we {v} the {n} {r} and we will {vb} {ts}",
    "the {t} is {a} and we need to {vb} it {r}",
    "this is {an:a} {n} for {ns} in {C}",
    "nobody thinks the {t} is going to {vb} overnight",
    "our {ns} will {vb} the {a} {n}, not {vb} it",
    "we have {v} {NUM} {ns} and we expect to {vb} more",
    "the {n} {vs} that {ts} are {a}",
    "it is {a} to {vb} {ts} when {ns} are {vg}",
    "we are {r} {a} about the {t}",
    "there is no {n} that {ts} will {vb} the {a} {n}",
    "I think the {n} will {vb} {a} {ns} for years",
    "the {a} {ns} are {vg} {r}",
    "people in {C} deserve {a} {ns}, not {a} {ns}",
    "we will {vb} {ts} and {vb} the {a} {n} by {MONTH}",
    "this {n} {vs} {a} {ns} across {K}",
    "the {t} has {v} {r}, and {ns} need {a} {ns}",
    "frankly, the {ns} have {v} {a} and the {t} {vs} it",
    "what we are seeing is {an:a} {n} in {ts}",
];

/// Headlines.
pub(crate) const HEADLINES: &[&str] = &[
    "{O} to {vb} {ts} as {n} {vs}",
    "{K} {ts} {v} {PCT} in {MONTH}",
    "{a} {t} {vs} {ns} in {C}",
    "{S} {vs} {a} {n} over {t}",
    "{C} {ns} {v} {a} {t}",
    "{O} {v} {MONEY} {t} plan",
    "{t} {n}: {O} {vs} {a} {ns}",
    "{ts} {v} as {K} {vs} {a} {n}",
    "{O} faces {a} {n} over {t}",
    "{S} says {t} will {vb} {ns}",
    "{a} {n} {vs} {t} in {K}",
    "{C}: {O} {v} {ts} after {a} {n}",
];

/// Paragraphs added by light edits (a bit of background).
pub(crate) const BACKGROUND: &[&str] = &[
    "The {t} has been a {a} issue in {K} for several years, and {ns} have {r} {v} {a} {ns}.",
    "{O} was founded in {Y} and has {v} {ts} in {C} since then.",
    "Background: the {t} was first {v} by {O} in {Y}, when {ns} {v} {an:a} {n}.",
    "Editor's note: this story has been updated with {a} {ns} from {O}.",
];

/// One category of templated news.
pub(crate) struct Family {
    /// Short name of the category.
    pub name: &'static str,
    /// Name of the topic in `words::TOPICS` used for topic slots.
    pub topic: &'static str,
    /// Headline templates.
    pub titles: &'static [&'static str],
    /// Lead paragraph templates (the first paragraph).
    pub leads: &'static [&'static str],
    /// Body sentence templates.
    pub body: &'static [&'static str],
    /// Closing sentence templates.
    pub closers: &'static [&'static str],
}

/// Templated news categories. Holes: `CO` company, `TICK` ticker, `CUP`
/// city in capitals, `TEAM`/`TEAM2`, `S1`/`S2` scores, `TEMP`/`TEMP2`,
/// `EPS` per-share amount, `TODAY` the story's date, `QTR` quarter, `TIME` clock time, `DIR` wind
/// direction, `WIND` wind speeds, `SKY` sky adjective, `CHANCE` round percentage, `ORD` ordinal.
pub(crate) const FAMILIES: &[Family] = &[
    Family {
        name: "earnings",
        topic: "economy",
        titles: &[
            "{CO} reports {QTR} profit of {MONEY}",
            "{CO} {QTR} earnings {v} to {MONEY}",
            "{CO} posts {PCT} rise in {QTR} revenue",
        ],
        leads: &[
            "{CUP}, {TODAY} - {CO} ({TICK}) on {D} reported {QTR} net income of {MONEY}, or {EPS} per share, compared with {MONEY}, or {EPS} per share, in the same period a year earlier.",
            "{CUP}, {TODAY} - {CO} ({TICK}) said on {D} that its {QTR} profit rose to {MONEY}, or {EPS} a share, from {MONEY} a year ago, as revenue climbed {PCT}.",
        ],
        body: &[
            "Revenue for the quarter rose {PCT} to {MONEY}, the company said in a statement.",
            "Analysts polled by {O} had expected earnings of {EPS} per share on revenue of {MONEY}.",
            "Operating margin was {PCT}, compared with {PCT} a year ago.",
            "{CO} said it expects full-year revenue of between {MONEY} and {MONEY}.",
            "Shares of {CO} were {v} {PCT} in after-hours trading.",
            "The company ended the quarter with {MONEY} in cash and equivalents.",
            "{P}, chief executive of {CO}, said the results reflected {a} {ns} in its core {ns}.",
            "Capital expenditure for the quarter totalled {MONEY}.",
            "{CO} employs about {NUM} people in {K} and abroad.",
            "Earnings before interest, taxes, depreciation and amortisation were {MONEY}.",
            "Net sales in the {a} segment increased {PCT} to {MONEY}.",
            "Gross margin narrowed to {PCT} from {PCT}.",
            "\"{Q},\" {S} said on a call with analysts.",
        ],
        closers: &["{CO} will hold a conference call with analysts on {D} at {TIME}."],
    },
    Family {
        name: "dividend",
        topic: "economy",
        titles: &[
            "{CO} declares quarterly dividend of {EPS} per share",
            "{CO} raises dividend to {EPS} a share",
        ],
        leads: &[
            "{CUP}, {TODAY} - The board of directors of {CO} ({TICK}) on {D} declared a quarterly cash dividend of {EPS} per share on its common stock.",
        ],
        body: &[
            "The dividend is payable on {DATE} to shareholders of record at the close of business on {DATE}.",
            "The ex-dividend date is {DATE}.",
            "The payout represents an increase of {PCT} from the previous quarterly dividend of {EPS} per share.",
            "{CO} has paid a dividend for {NUM} consecutive quarters.",
            "Based on {D}'s closing price, the annualised dividend yield is {PCT}.",
            "The company also said it had repurchased {NUM} shares for {MONEY} during the quarter.",
            "{P}, chief financial officer of {CO}, said the increase reflected the company's {a} cash flow.",
            "{CO} is {an:a} provider of {ns} with operations in {CNT} countries.",
        ],
        closers: &["For more information, shareholders may contact {CO} investor relations."],
    },
    Family {
        name: "weather",
        topic: "environment",
        titles: &[
            "{C} weather: {SKY} skies, highs near {TEMP}",
            "{C} forecast for {D}: highs of {TEMP} degrees",
        ],
        leads: &[
            "{CUP}, {TODAY} - {C} can expect {SKY} skies on {D}, with highs near {TEMP} degrees and overnight lows around {TEMP2} degrees, forecasters said.",
        ],
        body: &[
            "Winds will be from the {DIR} at {WIND} kilometres per hour.",
            "There is a {CHANCE} chance of rain in the afternoon, rising to {CHANCE} overnight.",
            "Humidity will range between {CHANCE} and {CHANCE}.",
            "The weekend is expected to bring {a} conditions, with temperatures reaching {TEMP} degrees on Saturday.",
            "Residents are advised to {vb} {ns} and check local forecasts before travelling.",
            "Sunrise will be at {TIME} and sunset at {TIME}.",
            "The national weather service said the {a} pattern would persist until {D}.",
            "Air quality in {C} is expected to be {a}.",
            "Road users should allow extra time for journeys on {D} morning.",
        ],
        closers: &["The next forecast update for {C} will be issued at {TIME}."],
    },
    Family {
        name: "sports",
        topic: "sport",
        titles: &["{TEAM} beat {TEAM2} {S1}-{S2}", "{TEAM} edge {TEAM2} {S1}-{S2} in {C}"],
        leads: &[
            "{CUP}, {TODAY} - {TEAM} beat {TEAM2} {S1}-{S2} on {D}, extending their {a} run in the league.",
        ],
        body: &[
            "{P} scored twice for the hosts, including {an:a} finish in the {ORD} minute.",
            "{TEAM2} had levelled shortly after half-time through a header from {P}.",
            "A crowd of {NUM} watched the match at the {a} stadium in {C}.",
            "The result leaves {TEAM} {ORD} in the table with {NUM} points.",
            "{TEAM2} remain {ORD}, {CNT} points behind the leaders.",
            "\"{Q},\" said {TEAM} coach {P}.",
            "Both sides had chances in {an:a} first half.",
            "{P} was shown a yellow card in the {ORD} minute.",
        ],
        closers: &["{TEAM} host {TEAM2} again on {DATE}."],
    },
];
