//! News outlets: names, domains and boilerplate.

/// What an outlet does in the corpus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// News agency: writes originals, datelines carry its name.
    Wire,
    /// Newspaper: writes originals and republishes wire copy.
    Paper,
    /// Aggregator or blog: republishes, excerpts, spins.
    Copier,
    /// Digitised print archive: OCR copies.
    Archive,
}

/// One outlet and its boilerplate. In boilerplate templates `{src}` is the
/// original outlet's name, `{srcdomain}` its domain, `{name}` this outlet,
/// `{author}` a byline name and `{date}` the long publication date.
pub(crate) struct Outlet {
    /// Display name (the corpus `source`).
    pub name: &'static str,
    /// Web domain used in URLs.
    pub domain: &'static str,
    /// Role in the corpus.
    pub role: Role,
    /// URL path sections.
    pub sections: &'static [&'static str],
    /// Paragraphs put before a republished article.
    pub header: &'static [&'static str],
    /// Credit line put after a republished article.
    pub credit: &'static str,
    /// Paragraphs put after the credit line.
    pub footer: &'static [&'static str],
    /// Appended to the headline of republished articles.
    pub title_suffix: &'static str,
}

/// All outlets.
pub(crate) const OUTLETS: &[Outlet] = &[
    Outlet {
        name: "Meridian Press",
        domain: "meridianpress.com",
        role: Role::Wire,
        sections: &["world", "business", "markets", "politics", "technology"],
        header: &[],
        credit: "(Reporting by {author}; editing by {author2})",
        footer: &[],
        title_suffix: "",
    },
    Outlet {
        name: "Atlas News Agency",
        domain: "atlasnews.net",
        role: Role::Wire,
        sections: &["news", "economy", "world", "science"],
        header: &[],
        credit: "(c) Atlas News Agency. All rights reserved.",
        footer: &[],
        title_suffix: "",
    },
    Outlet {
        name: "Pacific Wire Service",
        domain: "pacificwire.com",
        role: Role::Wire,
        sections: &["national", "international", "business", "sports"],
        header: &[],
        credit: "-- Pacific Wire Service",
        footer: &[],
        title_suffix: "",
    },
    Outlet {
        name: "The Harbor Gazette",
        domain: "harborgazette.com",
        role: Role::Paper,
        sections: &["news", "local", "business", "opinion"],
        header: &["By {author} | {date}"],
        credit: "This article was provided by {src}.",
        footer: &["Subscribe to The Harbor Gazette for unlimited access to local news."],
        title_suffix: "",
    },
    Outlet {
        name: "Northfield Tribune",
        domain: "northfieldtribune.com",
        role: Role::Paper,
        sections: &["news", "region", "money", "world"],
        header: &["{src} | {date}"],
        credit: "Copyright {src}. Distributed by the Northfield Tribune.",
        footer: &["Have a news tip? Email the Tribune newsroom."],
        title_suffix: " - Northfield Tribune",
    },
    Outlet {
        name: "Capital Ledger",
        domain: "capitalledger.com",
        role: Role::Paper,
        sections: &["politics", "economy", "world", "markets"],
        header: &["Published {date}"],
        credit: "Source: {src}",
        footer: &["The Capital Ledger is an independent daily newspaper."],
        title_suffix: "",
    },
    Outlet {
        name: "Daily Digest Online",
        domain: "dailydigest.online",
        role: Role::Copier,
        sections: &["news", "trending", "world"],
        header: &[
            "Share this article: Facebook | Twitter | Email",
            "By {author} | {date}",
        ],
        credit: "Credit: {src}",
        footer: &["Read original article here", "Comments are closed."],
        title_suffix: "",
    },
    Outlet {
        name: "NewsNow Hub",
        domain: "newsnowhub.com",
        role: Role::Copier,
        sections: &["latest", "business", "global"],
        header: &["{src} | Posted {date}"],
        credit: "This story was automatically published from a syndicated feed of {src}.",
        footer: &["Subscribe to NewsNow Hub for daily updates in your inbox."],
        title_suffix: " | NewsNow Hub",
    },
    Outlet {
        name: "The Morning Roundup",
        domain: "morningroundup.net",
        role: Role::Copier,
        sections: &["roundup", "headlines"],
        header: &["Your morning briefing, {date}", "Posted by {author}"],
        credit: "Originally published by {src} ({srcdomain}).",
        footer: &[
            "Like this story? Share it with a friend.",
            "Follow us on social media for more.",
        ],
        title_suffix: "",
    },
    Outlet {
        name: "Valley Herald",
        domain: "valleyherald.com",
        role: Role::Copier,
        sections: &["news", "nation-world", "business"],
        header: &["{date}"],
        credit: "Credit: {src}",
        footer: &[
            "Comments are closed.",
            "Copyright Valley Herald. All rights reserved.",
        ],
        title_suffix: " | Valley Herald",
    },
    Outlet {
        name: "Metro Times Online",
        domain: "metrotimes.online",
        role: Role::Copier,
        sections: &["city", "world", "money"],
        header: &["Metro Times staff and wire reports", "Updated {date}"],
        credit: "Material from {src} was used in this report.",
        footer: &["Sign up for the Metro Times newsletter."],
        title_suffix: "",
    },
    Outlet {
        name: "Finance Pulse",
        domain: "financepulse.io",
        role: Role::Copier,
        sections: &["markets", "companies", "economy"],
        header: &["Market news | {date} | 3 min read"],
        credit: "Source: {src}",
        footer: &[
            "Disclaimer: This content is for information only and is not investment advice.",
            "Read original article here",
        ],
        title_suffix: "",
    },
    Outlet {
        name: "WorldWatch Blog",
        domain: "worldwatchblog.com",
        role: Role::Copier,
        sections: &["blog", "world", "analysis"],
        header: &["Posted by {author} on {date}"],
        credit: "h/t {src}",
        footer: &["Leave a comment below.", "Tags: news, world, {srclower}"],
        title_suffix: "",
    },
    Outlet {
        name: "The Civic Post",
        domain: "civicpost.org",
        role: Role::Copier,
        sections: &["news", "policy", "community"],
        header: &["By {author}, {src}"],
        credit: "Republished with permission from {src}.",
        footer: &["The Civic Post is a nonprofit newsroom. Donate today."],
        title_suffix: "",
    },
    Outlet {
        name: "Coastline Courier",
        domain: "coastlinecourier.com",
        role: Role::Copier,
        sections: &["news", "state", "business"],
        header: &["{date} | {src}"],
        credit: "Distributed by {src}",
        footer: &["Subscribe | Advertise | Contact us"],
        title_suffix: " - Coastline Courier",
    },
    Outlet {
        name: "Press Archive Digital",
        domain: "pressarchive.org",
        role: Role::Archive,
        sections: &["archive", "scans"],
        header: &["[Digitized from the print edition of {date}]"],
        credit: "",
        footer: &["Text produced by optical character recognition and may contain errors."],
        title_suffix: "",
    },
];

/// Fills an outlet boilerplate template.
pub(crate) fn fill(
    tpl: &str,
    this: &Outlet,
    src: &Outlet,
    author: &str,
    author2: &str,
    date: &str,
) -> String {
    let mut s = tpl.to_string();
    if s.contains('{') {
        s = s
            .replace("{src}", src.name)
            .replace("{srcdomain}", src.domain)
            .replace("{srclower}", &src.name.to_lowercase())
            .replace("{name}", this.name)
            .replace("{author2}", author2)
            .replace("{author}", author)
            .replace("{date}", date);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outlets_are_distinct() {
        assert!(OUTLETS.len() >= 12);
        for (i, a) in OUTLETS.iter().enumerate() {
            for b in &OUTLETS[i + 1..] {
                assert_ne!(a.name, b.name);
                assert_ne!(a.domain, b.domain);
            }
        }
        assert!(OUTLETS.iter().any(|o| o.role == Role::Archive));
    }
}
