//! The simulator's data set: agents (with their passwords, and a session Guid for those signed
//! in from the start) and conferences, read from YAML with serde-saphyr. See `default-data.yaml`
//! for the format.

use std::collections::HashSet;
use std::fmt;

use agentgateway::{AgentId, ConfInfo};
use gatespec::{Constrained, Validate};
use serde::{Deserialize, Serialize};

use crate::conference::MAX_MEMBERS;

/// The default data set, embedded in the binary.
pub const DEFAULT_DATA: &str = include_str!("default-data.yaml");

/// A caller's role, as the spec names roles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Sees every conference of its VDN.
    Inspector,
    /// A common agent: sees only a conference it takes part in.
    Agent,
}

impl Role {
    /// The spec's name of the role.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Inspector => "inspector",
            Role::Agent => "agent",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One agent of the data set.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agent {
    /// The agent id (101-59999).
    pub id: AgentId,
    /// Inspector or common agent.
    pub role: Role,
    /// The VDN (virtual call center) the agent belongs to.
    pub vdn: u32,
    /// The password sign-in checks (empty when absent: a CTI account without password).
    #[serde(default)]
    pub password: String,
    /// The session Guid of an agent signed in from the start; absent: the agent signs in with
    /// the sign-in interface.
    #[serde(default)]
    pub guid: Option<String>,
}

/// One conference of the data set: its VDN, capacity and the vendor's conference information.
#[derive(Clone, Debug, Deserialize)]
pub struct ConferenceData {
    /// The VDN the conference runs in.
    pub vdn: u32,
    /// How many participants it can hold (`memberNum` of requestagentconf); the most a
    /// conference can hold (120) when absent.
    #[serde(default, rename = "memberNum")]
    pub member_num: Option<u32>,
    /// What `queryconfinfos` answers about it. A participant's `channelState` 1 (held) or 2
    /// (announcement played) and the conference's `confState` 1 (announcement playing) start
    /// it held or with an announcement playing.
    #[serde(flatten)]
    pub info: ConfInfo,
}

/// A whole data set.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataSet {
    /// Agents.
    pub agents: Vec<Agent>,
    /// Running conferences.
    #[serde(default)]
    pub conferences: Vec<ConferenceData>,
}

/// Why a data set was refused.
#[derive(Debug)]
pub struct DataError(String);

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DataError {}

impl DataSet {
    /// The embedded default data set.
    ///
    /// # Errors
    /// Never in a released build: the tests parse it.
    pub fn default_data() -> Result<Self, DataError> {
        Self::from_yaml(DEFAULT_DATA)
    }

    /// Parses and checks a data set: agent ids, Guids and conference ids are unique, and every
    /// conference holds valid values.
    ///
    /// # Errors
    /// The YAML does not parse into a data set, or breaks one of the rules, with where.
    pub fn from_yaml(text: &str) -> Result<Self, DataError> {
        let data: DataSet = serde_saphyr::from_str(text).map_err(|e| DataError(e.to_string()))?;
        data.check()?;
        Ok(data)
    }

    fn check(&self) -> Result<(), DataError> {
        let mut problems = Vec::new();
        let mut ids = HashSet::new();
        let mut guids = HashSet::new();
        for (i, agent) in self.agents.iter().enumerate() {
            if !ids.insert(agent.id.get().as_str()) {
                problems.push(format!("agents[{i}]: agent {} is listed twice", agent.id));
            }
            if let Some(guid) = &agent.guid {
                if guid.trim().is_empty() || guid.chars().any(char::is_control) {
                    problems.push(format!("agents[{i}].guid: not a usable header value"));
                }
                if !guids.insert(guid.as_str()) {
                    problems.push(format!("agents[{i}].guid: {guid} is used twice"));
                }
            }
        }
        let mut conf_ids = HashSet::new();
        for (i, conference) in self.conferences.iter().enumerate() {
            if !conf_ids.insert(conference.info.conf_id) {
                problems.push(format!(
                    "conferences[{i}]: conference {} is listed twice",
                    conference.info.conf_id
                ));
            }
            if let Err(violations) = conference.info.validate() {
                for v in violations {
                    problems.push(format!("conferences[{i}].{v}"));
                }
            }
            if conference
                .member_num
                .is_some_and(|n| n == 0 || n > MAX_MEMBERS)
            {
                problems.push(format!(
                    "conferences[{i}].memberNum: not in 1..={MAX_MEMBERS}"
                ));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(DataError(problems.join("\n")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conference::Conference;

    #[test]
    fn default_data_parses() {
        let data = DataSet::default_data().unwrap();
        assert!(data.agents.iter().any(|a| a.role == Role::Inspector));
        assert!(data.agents.iter().filter(|a| a.role == Role::Agent).count() >= 2);
        let example: Conference = data
            .conferences
            .into_iter()
            .find(|c| c.info.conf_id == 1029888)
            .unwrap()
            .into();
        assert!(example.has_agent("153"));
        assert!(
            !example.has_agent("70005"),
            "a phone number is not an agent"
        );
    }

    #[test]
    fn bad_data_is_refused_with_reasons() {
        let err = DataSet::from_yaml("agents:\n  - {id: \"99\", role: agent, vdn: 1}\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("AgentId") || err.contains("101"), "{err}");
        let err = DataSet::from_yaml(
            "agents:\n  - {id: \"153\", role: agent, vdn: 1, guid: g}\n  - {id: \"153\", role: boss, vdn: 1}\n",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("boss"), "{err}");
        let err = DataSet::from_yaml(
            "agents:\n  - {id: \"153\", role: agent, vdn: 1, guid: g}\n  - {id: \"153\", role: agent, vdn: 1, guid: g}\n",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("listed twice") && err.contains("used twice"),
            "{err}"
        );
    }
}
