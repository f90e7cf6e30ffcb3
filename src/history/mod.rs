//! Visit history kept outside `tilsyn`: the follow-up visits a department has
//! already carried out and the follow-up frequencies in force, read from the
//! national child-welfare register's XML extract (`Barnevern_v4.xsd`, Statistics
//! Norway) by [`xml::read_register`]. Only the case number, frequency codes and
//! dates are read; national identity numbers, names and birth dates in the
//! extract are never touched.

pub mod xml;
