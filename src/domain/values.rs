//! Small validated values: partial dates, licences, URLs, official codes.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::ValidationError;

/// A date known to the year, the month or the day: `2020`, `2022-07`, `2025-10-21`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "DateInput", into = "String")]
pub struct PartialDate {
    year: u16,
    month: Option<u8>,
    day: Option<u8>,
}

/// What a data file may hold for a date: a bare year as a number, or text.
#[derive(Deserialize)]
#[serde(untagged)]
enum DateInput {
    Year(i64),
    Text(String),
}

impl TryFrom<DateInput> for PartialDate {
    type Error = ValidationError;
    fn try_from(input: DateInput) -> Result<Self, Self::Error> {
        match input {
            DateInput::Year(y) => PartialDate::parse(&y.to_string()),
            DateInput::Text(t) => PartialDate::parse(&t),
        }
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (years 1900 to 2199).
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        let bad = || {
            ValidationError::new(format!(
                "`{text}` is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"
            ))
        };
        let text = text.trim();
        let mut parts = text.split('-');
        let number = |p: Option<&str>, len: usize| -> Result<Option<u16>, ValidationError> {
            match p {
                None => Ok(None),
                Some(p) if p.len() == len && p.bytes().all(|b| b.is_ascii_digit()) => {
                    Ok(Some(p.parse().map_err(|_| bad())?))
                }
                Some(_) => Err(bad()),
            }
        };
        let year = number(parts.next(), 4)?.ok_or_else(bad)?;
        let month = number(parts.next(), 2)?.map(|m| m as u8);
        let day = number(parts.next(), 2)?.map(|d| d as u8);
        if parts.next().is_some() {
            return Err(bad());
        }
        if !(1900..2200).contains(&year) {
            return Err(ValidationError::new(format!(
                "`{text}`: the year must be between 1900 and 2199"
            )));
        }
        if let Some(m) = month {
            if !(1..=12).contains(&m) {
                return Err(ValidationError::new(format!("`{text}`: no month {m}")));
            }
            if let Some(d) = day {
                if d == 0 || d > days_in_month(year, m) {
                    return Err(ValidationError::new(format!(
                        "`{text}`: no day {d} in that month"
                    )));
                }
            }
        }
        Ok(Self { year, month, day })
    }

    /// The year.
    pub fn year(&self) -> u16 {
        self.year
    }

    /// A day-precise date.
    pub fn from_day(day: chrono::NaiveDate) -> Self {
        use chrono::Datelike;
        Self {
            year: u16::try_from(day.year()).unwrap_or(0),
            month: u8::try_from(day.month()).ok(),
            day: u8::try_from(day.day()).ok(),
        }
    }

    /// The first day the date may mean (`2025-10` → 2025-10-01, `2025` → 2025-01-01).
    pub fn first_day(&self) -> Option<chrono::NaiveDate> {
        chrono::NaiveDate::from_ymd_opt(
            i32::from(self.year),
            u32::from(self.month.unwrap_or(1)),
            u32::from(self.day.unwrap_or(1)),
        )
    }

    /// The order of [`PartialDate::sort_key`] without building a string: time order, a less
    /// precise date before the more precise ones it contains.
    pub fn order_key(&self) -> (u16, u8, u8) {
        (self.year, self.month.unwrap_or(0), self.day.unwrap_or(0))
    }

    /// A key that sorts dates in time order, a less precise date before the more precise ones it contains.
    pub fn sort_key(&self) -> String {
        let (year, month, day) = self.order_key();
        format!("{year:04}-{month:02}-{day:02}")
    }

    /// The date as written, as precise as it is known.
    pub fn as_string(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_string())
    }
}

impl From<PartialDate> for String {
    fn from(date: PartialDate) -> Self {
        date.as_string()
    }
}

/// A licence as a valid SPDX expression (`GPL-2.0-or-later`, `MIT OR Apache-2.0`, `LicenseRef-...`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Licence(String);

impl Licence {
    /// Parses an SPDX licence expression.
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        let text = text.trim();
        spdx::Expression::parse(text).map_err(|e| {
            ValidationError::new(format!(
                "`{text}` is not a valid SPDX licence expression: {}",
                e.reason
            ))
        })?;
        Ok(Self(text.to_owned()))
    }

    /// Whether every licence in the expression is OSI-approved or FSF free/libre.
    pub fn is_libre(&self) -> bool {
        spdx::Expression::parse(&self.0)
            .map(|e| {
                e.requirements().all(|r| match &r.req.license {
                    spdx::LicenseItem::Spdx { id, .. } => {
                        id.is_osi_approved() || id.is_fsf_free_libre()
                    }
                    spdx::LicenseItem::Other { .. } => false,
                })
            })
            .unwrap_or(false)
    }
}
string_value!(text Licence, "The expression as text.");

/// An absolute `http` or `https` URL.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct WebUrl(String);

impl WebUrl {
    /// Parses an absolute http(s) URL of at most 2,000 characters.
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        let text = text.trim();
        if text.len() > 2_000 {
            return Err(ValidationError::new("URL longer than 2000 characters"));
        }
        let url = url::Url::parse(text)
            .map_err(|e| ValidationError::new(format!("`{text}` is not a valid URL: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return Err(ValidationError::new(format!(
                "`{text}` must be an http or https URL with a host"
            )));
        }
        Ok(Self(text.to_owned()))
    }
}
string_value!(text WebUrl, "The URL as text.");

/// An ISO 3166-1 alpha-2 country code, upper case (`FR`, `DE`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Country(String);

impl Country {
    /// Parses a two-letter country code, in any case.
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        let code = text.trim().to_ascii_uppercase();
        if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(ValidationError::new(format!(
                "`{text}` is not a two-letter ISO 3166-1 country code"
            )));
        }
        Ok(Self(code))
    }
}
string_value!(text Country, "The code as text.");

/// An INSEE commune code: five characters, digits or `2A`/`2B` for Corsica (`38151`, `2A004`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct InseeCode(String);

impl InseeCode {
    /// Parses an INSEE commune code.
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        let t = text.trim().to_ascii_uppercase();
        let b = t.as_bytes();
        let ok = b.len() == 5
            && (b[..2].iter().all(u8::is_ascii_digit) || matches!(&b[..2], b"2A" | b"2B"))
            && b[2..].iter().all(u8::is_ascii_digit);
        if !ok {
            return Err(ValidationError::new(format!(
                "`{text}` is not an INSEE commune code (five digits, or 2A/2B then three digits; quote it in YAML)"
            )));
        }
        Ok(Self(t))
    }
}
string_value!(text InseeCode, "The code as text.");

/// A SIREN: the nine-digit French company and public-body number, with its Luhn check digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Siren(String);

impl Siren {
    /// Parses a SIREN, spaces allowed, and verifies its check digit.
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.len() != 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ValidationError::new(format!(
                "`{text}` is not a SIREN (nine digits; quote it in YAML)"
            )));
        }
        if !luhn_valid(&digits) {
            return Err(ValidationError::new(format!(
                "`{text}` is not a valid SIREN: its check digit is wrong"
            )));
        }
        Ok(Self(digits))
    }
}
string_value!(text Siren, "The number as text.");

fn luhn_valid(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let twice = d * 2;
                if twice > 9 {
                    twice - 9
                } else {
                    twice
                }
            } else {
                d
            }
        })
        .sum();
    sum % 10 == 0
}

/// A Wikidata item id (`Q171477`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct WikidataId(String);

impl WikidataId {
    /// Parses a Wikidata item id: `Q` then digits.
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        let t = text.trim();
        let ok = t.len() > 1
            && t.len() <= 12
            && t.starts_with('Q')
            && t[1..].bytes().all(|b| b.is_ascii_digit())
            && !t[1..].starts_with('0');
        if !ok {
            return Err(ValidationError::new(format!(
                "`{text}` is not a Wikidata item id (Q followed by digits)"
            )));
        }
        Ok(Self(t.to_owned()))
    }
}
string_value!(text WikidataId, "The id as text.");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_parse_at_each_precision() {
        assert_eq!(PartialDate::parse("2020").unwrap().to_string(), "2020");
        assert_eq!(
            PartialDate::parse("2022-07").unwrap().to_string(),
            "2022-07"
        );
        assert_eq!(
            PartialDate::parse("2024-02-29").unwrap().to_string(),
            "2024-02-29"
        );
        for bad in [
            "20",
            "2020-13",
            "2023-02-29",
            "2020-7",
            "1850",
            "2020-01-01-01",
            "year",
        ] {
            assert!(PartialDate::parse(bad).is_err(), "{bad}");
        }
        assert!(
            PartialDate::parse("2020").unwrap().sort_key()
                < PartialDate::parse("2020-01").unwrap().sort_key()
        );
    }

    #[test]
    fn licences_are_spdx_expressions() {
        assert!(Licence::parse("GPL-2.0-or-later").unwrap().is_libre());
        assert!(Licence::parse("MIT OR Apache-2.0").unwrap().is_libre());
        assert!(Licence::parse("GPL-2.0, LGPL-3.0").is_err());
        assert!(Licence::parse("free software").is_err());
    }

    #[test]
    fn siren_check_digit_is_verified() {
        assert!(Siren::parse("200040715").is_ok());
        assert!(Siren::parse("200040716").is_err());
        assert!(Siren::parse("20004071").is_err());
    }

    #[test]
    fn codes_and_urls_are_checked() {
        assert!(InseeCode::parse("38151").is_ok());
        assert!(InseeCode::parse("2A004").is_ok());
        assert!(InseeCode::parse("3815").is_err());
        assert_eq!(Country::parse("fr").unwrap().as_str(), "FR");
        assert!(Country::parse("FRA").is_err());
        assert!(WebUrl::parse("https://bigbluebutton.org").is_ok());
        assert!(WebUrl::parse("javascript:alert(1)").is_err());
        assert!(WikidataId::parse("Q171477").is_ok());
        assert!(WikidataId::parse("171477").is_err());
    }
}
