//! An invitation to join a studio: the leader asks, the person answers. Nobody becomes a
//! studio's member or apprentice (and so a mentorship's apprentice, graded in the open)
//! without saying yes.

/// Where an invitation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvitationStatus {
    Pending,
    Accepted,
    Declined,
}

impl InvitationStatus {
    pub fn code(self) -> &'static str {
        match self {
            InvitationStatus::Pending => "pending",
            InvitationStatus::Accepted => "accepted",
            InvitationStatus::Declined => "declined",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "pending" => Some(InvitationStatus::Pending),
            "accepted" => Some(InvitationStatus::Accepted),
            "declined" => Some(InvitationStatus::Declined),
            _ => None,
        }
    }

    /// The answer a person gives: `accept` or `decline`.
    pub fn answer(verb: &str) -> Option<Self> {
        match verb {
            "accept" => Some(InvitationStatus::Accepted),
            "decline" => Some(InvitationStatus::Declined),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::InvitationStatus;

    #[test]
    fn codes_round_trip_and_only_two_answers_exist() {
        for s in [
            InvitationStatus::Pending,
            InvitationStatus::Accepted,
            InvitationStatus::Declined,
        ] {
            assert_eq!(InvitationStatus::parse(s.code()), Some(s));
        }
        assert_eq!(InvitationStatus::answer("pending"), None);
        assert_eq!(
            InvitationStatus::answer("accept"),
            Some(InvitationStatus::Accepted)
        );
    }
}
