//! Place names several places carry (新塘, 长安), settled the way a member
//! means them: the one the archive has articles about; among several (or
//! none), the one in the home province; asked about only when both leave
//! more than one, with at most three choices, the archive's first.

use super::Conversation;
use crate::article::City;
use crate::query::Question;
use crate::request::{PlaceArgument, Subscription};
use crate::search;
use crate::zh::places::gazetteer;

/// Candidate cities looked up in the archive for one ambiguous name.
const MAX_JUDGED: usize = 8;

/// Choices listed when a place name stays ambiguous.
const MAX_CHOICES: usize = 3;

/// What the archive says about one candidate city of a name.
struct Candidate {
    city: City,
    /// Some article of the city names the place in its title or lede.
    reported: bool,
    /// The city has articles at all.
    has_articles: bool,
}

impl Conversation<'_> {
    /// A place argument with an ambiguous name settled where the archive
    /// and the home province tell; still ambiguous, its candidates ordered
    /// archive's first and cut to three.
    pub(super) fn settle(&self, place: PlaceArgument) -> PlaceArgument {
        let PlaceArgument::Ambiguous { typed, candidates } = place else {
            return place;
        };
        let name = candidates
            .first()
            .map_or(typed.as_str(), |p| p.short_name())
            .to_string();
        let cities: Vec<City> = candidates.iter().filter_map(|p| p.city.clone()).collect();
        let judged = self.judge(&name, &cities);
        if let Some(city) = self.choose(&judged) {
            return PlaceArgument::City { city, typed };
        }
        let rank = |code: Option<u32>| {
            judged
                .iter()
                .find(|c| Some(c.city.code) == code)
                .map_or(2, |c| {
                    if c.reported {
                        0
                    } else {
                        u8::from(!c.has_articles)
                    }
                })
        };
        let mut candidates = candidates;
        candidates.sort_by_key(|p| rank(p.city.as_ref().map(|c| c.code)));
        candidates.truncate(MAX_CHOICES);
        PlaceArgument::Ambiguous { typed, candidates }
    }

    /// A subscription's place settled the same way (`/subscribe 新塘`).
    pub(super) fn settle_subscription(&self, target: Subscription) -> Subscription {
        match target {
            Subscription::Place(place) => Subscription::Place(self.settle(place)),
            all => all,
        }
    }

    /// The question's ambiguous place names settled the same way (a name
    /// that stays ambiguous restricts nothing).
    pub(super) fn settle_places(&self, question: &mut Question) {
        for i in 0..question.places.len() {
            let place = &question.places[i];
            if !place.cities.is_empty() || place.is_province || place.candidates.is_empty() {
                continue;
            }
            let cities: Vec<City> = place
                .candidates
                .iter()
                .filter_map(|&code| gazetteer().city_by_code(code))
                .collect();
            let judged = self.judge(&place.text, &cities);
            if let Some(city) = self.choose(&judged) {
                question.places[i].cities = vec![city];
            }
        }
    }

    /// Each distinct candidate city with what the archive has of it (the
    /// home province's first, at most [`MAX_JUDGED`]: 城关 is in 100 places).
    fn judge(&self, name: &str, cities: &[City]) -> Vec<Candidate> {
        let home = self.home.name();
        let mut cities: Vec<&City> = cities.iter().collect();
        cities.sort_by_key(|c| c.province != home);
        let mut judged: Vec<Candidate> = Vec::new();
        for city in cities {
            if judged.len() >= MAX_JUDGED {
                break;
            }
            if judged.iter().any(|c| c.city.code == city.code) {
                continue;
            }
            let reported = search::newest_naming(self.index, self.store, city.code, &[name], 1)
                .map(|found| !found.is_empty())
                .unwrap_or(false);
            let has_articles = reported
                || self
                    .store
                    .latest_in_city(city.code, 0, 0)
                    .map(|(_, total)| total > 0)
                    .unwrap_or(false);
            judged.push(Candidate {
                city: city.clone(),
                reported,
                has_articles,
            });
        }
        judged
    }

    /// The one city the archive, then the home province, leaves.
    fn choose(&self, judged: &[Candidate]) -> Option<City> {
        let home = self.home.name();
        let tiers: [&dyn Fn(&Candidate) -> bool; 3] =
            [&|c| c.reported, &|c| c.has_articles, &|_| true];
        for tier in tiers {
            let kept: Vec<&Candidate> = judged.iter().filter(|c| tier(c)).collect();
            match kept.as_slice() {
                [] => continue,
                [one] => return Some(one.city.clone()),
                several => {
                    let at_home: Vec<&&Candidate> =
                        several.iter().filter(|c| c.city.province == home).collect();
                    return match at_home.as_slice() {
                        [one] => Some(one.city.clone()),
                        _ => None,
                    };
                }
            }
        }
        None
    }
}
